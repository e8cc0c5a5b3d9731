namespace StreamDb.Native;

/// <summary>A streaming writer of one new document version (streamdb_writer_open). Finish it with streamdb_writer_commit or streamdb_writer_abort.</summary>
[CHeader(13, "streamdb_writer")]
public struct WriterHandle
{
}
