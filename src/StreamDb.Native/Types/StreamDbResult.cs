using System.Runtime.InteropServices;

namespace StreamDb.Native;

/// <summary>
/// compat: one node of the list streamdb_prefix_search returns. The library owns every node,
/// key and value: free the whole list with streamdb_free_results.
/// </summary>
[CHeader(60, "streamdb_result")]
[StructLayout(LayoutKind.Sequential)]
public unsafe struct StreamDbResult
{
    /// <summary>The path, NUL-terminated.</summary>
    [CType("char *")]
    public byte* key;
    /// <summary>Bytes of key, the NUL excluded.</summary>
    public nuint key_len;
    /// <summary>The document's bytes (never NULL, even when value_size is 0).</summary>
    public byte* value;
    /// <summary>Bytes of value.</summary>
    public nuint value_size;
    /// <summary>The next node, or NULL after the last.</summary>
    public StreamDbResult* next;
}
