using System.Runtime.InteropServices;

namespace StreamDb.Native;

/// <summary>Counters of a database (streamdb_stats). Set struct_size before the call (or zero it).</summary>
[CHeader(40, "streamdb_stats")]
[StructLayout(LayoutKind.Sequential)]
public struct StreamDbStats
{
    /// <summary>sizeof(streamdb_stats), or 0 for the whole struct; on return, the bytes filled.</summary>
    public uint struct_size;
    /// <summary>Bytes per page.</summary>
    public uint page_size;
    /// <summary>Pages of the file's used area, the header page included.</summary>
    public ulong total_pages;
    /// <summary>Pages that hold nothing the current state needs.</summary>
    public ulong free_pages;
    /// <summary>Live documents.</summary>
    public ulong documents;
    /// <summary>Bound paths.</summary>
    public ulong paths;
    /// <summary>Size of the file in bytes (0 in memory).</summary>
    public ulong file_bytes;
    /// <summary>Page cache hits since open.</summary>
    public ulong cache_hits;
    /// <summary>Page cache misses since open.</summary>
    public ulong cache_misses;
}
