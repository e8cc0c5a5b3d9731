namespace StreamDb.Storage;

/// <summary>How a <see cref="FileDevice"/> grows ahead of small writes past its end.</summary>
internal enum FileGrowth
{
    /// <summary>Write zeros ahead: a sync after a write inside space already written commits no
    /// block allocation or extent change, the cheaper sync when each commit syncs (measured
    /// here: 4,458 against 2,756 durable 10 KB overwrites a second). Each page is written twice
    /// (zeros, then data). A side effect worth keeping: the zeros go out in 1 MiB writes, so the
    /// kernel caches the step in large folios, and warm reads of what is then written into it
    /// are faster (12% on random 10 KB reads right after a bulk load, which is why a batch,
    /// with no sync to make cheaper, still zero-fills).</summary>
    ZeroFill,

    /// <summary>Reserve blocks ahead with fallocate(2) (Linux; elsewhere, or where the file
    /// system refuses it, zero-fill): nothing is written twice, but the sync after a write into
    /// reserved space also commits the extent's conversion, the better trade when syncs are
    /// batched (flush_interval_ms, NO_SYNC). Pages first written in small writes stay in small
    /// page-cache folios: warm reads of them, until the kernel evicts and rereads them, are
    /// slower than of zero-filled ones.</summary>
    Allocate,
}
