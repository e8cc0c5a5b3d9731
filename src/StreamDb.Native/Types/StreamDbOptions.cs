using System.Runtime.InteropServices;

namespace StreamDb.Native;

/// <summary>
/// Options for streamdb_open and streamdb_open_memory. Call streamdb_options_init first, then
/// change what you need: struct_size lets newer libraries accept older, smaller structs.
/// Fields may be added at the end in later versions.
/// </summary>
[CHeader(30, "streamdb_options")]
[StructLayout(LayoutKind.Sequential)]
public struct StreamDbOptions
{
    /// <summary>sizeof(streamdb_options); set by streamdb_options_init.</summary>
    public uint struct_size;
    /// <summary>Bytes per page, a power of two 4096..65536; 0 = 8192. Fixed when the file is created.</summary>
    public uint page_size;
    /// <summary>Largest document in bytes; 0 = 256 MiB.</summary>
    public ulong max_document_size;
    /// <summary>Largest file in bytes; 0 = 8 TB.</summary>
    public ulong max_db_size;
    /// <summary>Pages kept in the page cache; 0 = 2048.</summary>
    public uint page_cache_pages;
    /// <summary>Old versions kept readable per document; -1 = 2.</summary>
    [CType("int32_t")]
    public int versions_to_keep;
    /// <summary>STREAMDB_OPEN_* flags.</summary>
    public uint flags;
    /// <summary>0 = every commit is durable before it returns; n &gt; 0 = commits are made
    /// durable by a background flush at most n ms later (group commit).</summary>
    public uint flush_interval_ms;
}
