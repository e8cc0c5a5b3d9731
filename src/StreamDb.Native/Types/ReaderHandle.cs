namespace StreamDb.Native;

/// <summary>A streaming reader of one document version (streamdb_reader_open). Close it with streamdb_reader_close.</summary>
[CHeader(12, "streamdb_reader")]
public struct ReaderHandle
{
}
