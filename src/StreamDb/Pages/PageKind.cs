namespace StreamDb.Pages;

/// <summary>What a page holds; stored in byte 24 of the page header.</summary>
internal enum PageKind : byte
{
    /// <summary>Never written (all zero) — not a valid page.</summary>
    None = 0,
    /// <summary>Document data: one page of a version's chain.</summary>
    Data = 1,
    /// <summary>Index journal: records appended since the last checkpoint.</summary>
    Journal = 2,
    /// <summary>Index checkpoint: the whole index as records.</summary>
    Checkpoint = 3,
    /// <summary>Packed tails: the last, partly filled piece of several documents a batch wrote,
    /// each a self-checking fragment (see <see cref="Documents.TailFragment"/>).</summary>
    Pack = 4,
}

/// <summary>Page flags, byte 25 of the page header.</summary>
[Flags]
internal enum PageFlags : byte
{
    None = 0,
    /// <summary>First page of a document version: its data area starts with a document header.</summary>
    First = 1,
    /// <summary>The page's data is a compressed chunk.</summary>
    Compressed = 2,
    /// <summary>The CRC covers the header and the held bytes only, not the zero tail (see <see cref="PageCrc"/>).</summary>
    ShortCrc = 4,
    /// <summary>Checkpoint pages: the checkpoint's pages are consecutive from its first, and every
    /// one but the last is full, so that a reader can find the page holding any record byte
    /// without walking the chain (see <see cref="Index.RecordPages"/>).</summary>
    Contiguous = 8,
}
