namespace StreamDb.Native;

/// <summary>A pending asynchronous read (streamdb_read_async). Free it with streamdb_op_free.</summary>
[CHeader(15, "streamdb_op")]
public struct OpHandle
{
}
