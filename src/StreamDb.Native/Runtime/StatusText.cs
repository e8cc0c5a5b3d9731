namespace StreamDb.Native;

/// <summary>The fixed text of each status code (streamdb_strerror).</summary>
internal static unsafe class StatusText
{
    public static byte* Pointer(int status) => status switch
    {
        StatusCodes.STREAMDB_OK => StaticText.Pointer("success\0"u8),
        StatusCodes.STREAMDB_DONE => StaticText.Pointer("no more items\0"u8),
        StatusCodes.STREAMDB_ERR_IO => StaticText.Pointer("I/O error: the operating system refused a read, write, sync or lock\0"u8),
        StatusCodes.STREAMDB_ERR_NOT_FOUND => StaticText.Pointer("not found: no such path, document or version\0"u8),
        StatusCodes.STREAMDB_ERR_INVALID => StaticText.Pointer("invalid argument or handle\0"u8),
        StatusCodes.STREAMDB_ERR_INTERNAL => StaticText.Pointer("internal error (a bug in the library)\0"u8),
        StatusCodes.STREAMDB_ERR_CORRUPTED => StaticText.Pointer("corrupted: stored data failed a CRC or structural check\0"u8),
        StatusCodes.STREAMDB_ERR_TOO_LARGE => StaticText.Pointer("document larger than max_document_size\0"u8),
        StatusCodes.STREAMDB_ERR_FULL => StaticText.Pointer("database full: max_db_size or max_pages reached, or the disk is full\0"u8),
        StatusCodes.STREAMDB_ERR_BUSY => StaticText.Pointer("busy: the file is open for writing by another process\0"u8),
        StatusCodes.STREAMDB_ERR_READ_ONLY => StaticText.Pointer("write on a read-only database or snapshot\0"u8),
        StatusCodes.STREAMDB_ERR_BUFFER_TOO_SMALL => StaticText.Pointer("buffer too small\0"u8),
        StatusCodes.STREAMDB_ERR_TIMEOUT => StaticText.Pointer("timed out\0"u8),
        _ => StaticText.Pointer("unknown status code\0"u8),
    };

    public static string Describe(int status) =>
        System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)Pointer(status)) ?? "";
}
