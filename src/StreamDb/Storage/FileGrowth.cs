namespace StreamDb.Storage;

/// <summary>How a <see cref="FileDevice"/> grows ahead of small writes past its end.</summary>
internal enum FileGrowth
{
    /// <summary>Write zeros ahead: a sync after a write inside space already written commits no
    /// block allocation or extent change, the cheaper sync when each commit syncs (measured
    /// here: 4,458 against 2,756 durable 10 KB overwrites a second). Each page is written twice
    /// (zeros, then data), so a step that follows another with no sync between (a batch, a
    /// bulk load: nothing to make cheaper) reserves instead.</summary>
    ZeroFill,

    /// <summary>Reserve blocks ahead with fallocate(2) (Linux; elsewhere, or where the file
    /// system refuses it, zero-fill): nothing is written twice, but the sync after a write into
    /// reserved space also commits the extent's conversion, the better trade when syncs are
    /// batched (flush_interval_ms, NO_SYNC).</summary>
    Allocate,
}
