namespace StreamDb.Native;

/// <summary>An atomic group of writes and deletes (streamdb_batch_begin). Finish it with streamdb_batch_commit or streamdb_batch_abort.</summary>
[CHeader(14, "streamdb_batch")]
public struct BatchHandle
{
}
