namespace StreamDb;

/// <summary>
/// Counters of a database. TotalPages counts every page of the file's used area (the header
/// page included); FreePages counts those that hold nothing the current state needs (some may
/// still wait for a reader or for durability before they are reused).
/// </summary>
public readonly record struct DatabaseStats(
    int PageSize,
    long TotalPages,
    long FreePages,
    long Documents,
    long Paths,
    long FileBytes,
    long CacheHits,
    long CacheMisses);
