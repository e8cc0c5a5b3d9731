namespace StreamDb.Native;

/// <summary>A database, or a read-only snapshot of one. Opened by streamdb_open, streamdb_open_memory, streamdb_snapshot or streamdb_init; closed by streamdb_close or streamdb_free. Closing it also releases every iterator, reader, writer, batch, asynchronous operation and snapshot made from it.</summary>
[CHeader(10, "streamdb")]
public struct DbHandle
{
}
