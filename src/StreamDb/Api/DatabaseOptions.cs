namespace StreamDb;

/// <summary>Options for opening a database. Mirrors streamdb_options of the C ABI.</summary>
public sealed class DatabaseOptions
{
    public const int DefaultPageSize = 8192;
    public const long DefaultMaxDocumentSize = 256L << 20;
    public const long DefaultMaxDbSize = 8L << 40;

    /// <summary>Bytes per page, a power of two from 4096 to 65536. Fixed when the file is created;
    /// opening an existing file uses the file's page size.</summary>
    public int PageSize { get; set; } = DefaultPageSize;

    public long MaxDocumentSize { get; set; } = DefaultMaxDocumentSize;

    /// <summary>Upper bound on the file's size in bytes.</summary>
    public long MaxDbSize { get; set; } = DefaultMaxDbSize;

    /// <summary>Upper bound on the number of pages (header page included).</summary>
    public long MaxPages { get; set; } = long.MaxValue;

    public int PageCachePages { get; set; } = 2048;

    /// <summary>Old versions kept readable per document (0 keeps none).</summary>
    public int VersionsToKeep { get; set; } = 2;

    public bool ReadOnly { get; set; }
    public bool NoCreate { get; set; }
    public bool Compress { get; set; }

    /// <summary>Skip CRC checks on reads.</summary>
    public bool QuickMode { get; set; }

    /// <summary>Never fsync. Commits are atomic but not durable: for tests and scratch data.</summary>
    public bool NoSync { get; set; }

    /// <summary>0: every commit is durable before it returns. n &gt; 0: commits are made durable
    /// by a background flush at most n ms later (group commit).</summary>
    public int FlushIntervalMs { get; set; }

    /// <summary>What a batch packs into shared pack pages (docs/ARCHITECTURE.md, "Packed tails").
    /// Default <see cref="TailPacking.NextToChain"/>.</summary>
    public TailPacking TailPacking { get; set; } = TailPacking.NextToChain;

    public DatabaseOptions Clone() => (DatabaseOptions)MemberwiseClone();
}

/// <summary>What a batch packs into shared pages instead of giving it pages of its own.</summary>
public enum TailPacking
{
    /// <summary>Documents whose stored bytes fit in half a page: each takes its size (plus 16
    /// bytes) in a shared page, and reads in one small read.</summary>
    SmallDocuments = 0,
    /// <summary>Also the last page of larger documents when it holds less than half a page: a
    /// batch of 8-12 KB documents in 8 KiB pages takes 1.06x its bytes instead of 1.63x, but each
    /// read of such a document costs a second read (random 10 KB reads measured 15-20% slower).</summary>
    AllTails = 1,
    /// <summary>Nothing is packed: every document takes whole pages.</summary>
    None = 2,
    /// <summary>Also the last page of larger documents when it holds less than half a page, but
    /// only into a pack page right before or right after the document's own pages, shared with
    /// at most the documents on either side (and small documents): a whole read still reads
    /// chain and tail in one request. A batch of 8-12 KB documents in 8 KiB pages takes about
    /// 1.5 pages a document instead of 2.</summary>
    NextToChain = 3,
}
