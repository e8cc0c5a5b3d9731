namespace StreamDb;

/// <summary>
/// Outcome of an engine call. The values are the C ABI's status codes (streamdb.h), so the
/// native layer passes them through unchanged.
/// </summary>
public enum Status
{
    Ok = 0,
    /// <summary>An iterator or reader has no more items.</summary>
    Done = 1,
    /// <summary>The operating system refused a read, write, sync or lock.</summary>
    IOError = -1,
    NotFound = -2,
    InvalidArgument = -3,
    /// <summary>A bug: an unexpected condition inside the library.</summary>
    Internal = -4,
    /// <summary>Stored data failed a CRC or structural check.</summary>
    Corrupted = -5,
    TooLarge = -6,
    /// <summary>The database would exceed max_db_size or max_pages, or the disk is full.</summary>
    Full = -7,
    /// <summary>The file is open for writing by another process (or another handle).</summary>
    Busy = -8,
    ReadOnly = -9,
    BufferTooSmall = -10,
    Timeout = -11,
}
