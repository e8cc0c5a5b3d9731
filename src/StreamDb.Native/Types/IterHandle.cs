namespace StreamDb.Native;

/// <summary>An iterator over document paths (streamdb_search, streamdb_list_paths). Free it with streamdb_iter_free.</summary>
[CHeader(11, "streamdb_iter")]
public struct IterHandle
{
}
