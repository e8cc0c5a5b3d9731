namespace StreamDb.Native;

/// <summary>Status codes: 0 success, positive informational, negative errors. Codes may be
/// added in later versions: treat any unknown negative value as an error.</summary>
[CHeader(2)]
public static class StatusCodes
{
    /// <summary>Success.</summary>
    public const int STREAMDB_OK = 0;
    /// <summary>An iterator or reader has no more items.</summary>
    public const int STREAMDB_DONE = 1;
    /// <summary>The operating system refused a read, write, sync or lock.</summary>
    public const int STREAMDB_ERR_IO = -1;
    /// <summary>No such path, document or version.</summary>
    public const int STREAMDB_ERR_NOT_FOUND = -2;
    /// <summary>Bad argument or handle.</summary>
    public const int STREAMDB_ERR_INVALID = -3;
    /// <summary>A bug: an unexpected condition inside the library.</summary>
    public const int STREAMDB_ERR_INTERNAL = -4;
    /// <summary>Stored data failed a CRC or structural check.</summary>
    public const int STREAMDB_ERR_CORRUPTED = -5;
    /// <summary>Document larger than max_document_size.</summary>
    public const int STREAMDB_ERR_TOO_LARGE = -6;
    /// <summary>The database would exceed max_db_size or max_pages; disk full.</summary>
    public const int STREAMDB_ERR_FULL = -7;
    /// <summary>The file is open for writing by another process.</summary>
    public const int STREAMDB_ERR_BUSY = -8;
    /// <summary>Write on a read-only database or snapshot.</summary>
    public const int STREAMDB_ERR_READ_ONLY = -9;
    /// <summary>The caller's buffer is too small; the size needed is reported.</summary>
    public const int STREAMDB_ERR_BUFFER_TOO_SMALL = -10;
    /// <summary>A wait ran out of time.</summary>
    public const int STREAMDB_ERR_TIMEOUT = -11;
}
