using System.Runtime.InteropServices;

namespace StreamDb.Native;

/// <summary>What streamdb_stat reports about a document. Set struct_size before the call (or zero it).</summary>
[CHeader(50, "streamdb_doc_info")]
[StructLayout(LayoutKind.Sequential)]
public struct StreamDbDocInfo
{
    /// <summary>sizeof(streamdb_doc_info), or 0 for the whole struct; on return, the bytes filled.</summary>
    public uint struct_size;
    /// <summary>The document's id.</summary>
    public StreamDbId id;
    /// <summary>Bytes of the current version.</summary>
    public ulong size;
    /// <summary>Current version number, starting at 1.</summary>
    public ulong version;
    /// <summary>Paths bound to the document.</summary>
    public uint path_count;
    /// <summary>Old versions still readable (streamdb_read_version).</summary>
    public uint versions_kept;
}
