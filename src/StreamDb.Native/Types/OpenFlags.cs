namespace StreamDb.Native;

/// <summary>Flags of streamdb_options.flags.</summary>
[CHeader(31)]
public static class OpenFlags
{
    /// <summary>Never writes; STREAMDB_ERR_BUSY if a writer holds the file.</summary>
    public const uint STREAMDB_OPEN_READ_ONLY = 0x1;
    /// <summary>STREAMDB_ERR_NOT_FOUND if the file does not exist.</summary>
    public const uint STREAMDB_OPEN_NO_CREATE = 0x2;
    /// <summary>Snappy-compress new document data (data that does not shrink is stored as is).
    /// Any database reads compressed documents, with or without this flag.</summary>
    public const uint STREAMDB_OPEN_COMPRESS = 0x4;
    /// <summary>Quick mode: skip CRC checks on reads.</summary>
    public const uint STREAMDB_OPEN_QUICK = 0x8;
    /// <summary>Never fsync (tests, scratch data): commits stay atomic but are not durable.</summary>
    public const uint STREAMDB_OPEN_NO_SYNC = 0x10;

    internal const uint Known = STREAMDB_OPEN_READ_ONLY | STREAMDB_OPEN_NO_CREATE | STREAMDB_OPEN_COMPRESS
        | STREAMDB_OPEN_QUICK | STREAMDB_OPEN_NO_SYNC;
}
