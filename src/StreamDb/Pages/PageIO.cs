using StreamDb.Storage;

namespace StreamDb.Pages;

/// <summary>
/// Pages over a device: page id N lives at byte N * PageSize. Owns the page cache, so every
/// write invalidates what the cache holds for the pages it overwrites.
/// </summary>
internal sealed class PageIO(IStorageDevice device, int pageSize, int cachePages, bool shortWrites = false)
{
    /// <summary>Whether writes stop short of a last page's unused bytes (see <see cref="WrittenLength"/>).</summary>
    public bool ShortWrites { get; } = shortWrites;

    public IStorageDevice Device { get; } = device;
    public int PageSize { get; } = pageSize;
    public PageCache Cache { get; } = new(cachePages, pageSize);

    /// <summary>Payload bytes of a page.</summary>
    public int Capacity => PageSize - PageHeader.Size;

    public long OffsetOf(long pageId) => pageId * PageSize;

    /// <summary>Reads consecutive pages straight from the device (no cache).</summary>
    public void ReadPages(long firstId, Span<byte> buffer) => Device.Read(OffsetOf(firstId), buffer);

    /// <summary>Reads bytes of one page from <paramref name="from"/> on (no cache).</summary>
    public void ReadWithin(long pageId, int from, Span<byte> buffer) => Device.Read(OffsetOf(pageId) + from, buffer);

    /// <summary>Reads consecutive pages, split over <paramref name="segments"/> (no cache).</summary>
    public void ReadPagesScattered(long firstId, ReadOnlySpan<IoSegment> segments) => Device.ReadScatter(OffsetOf(firstId), segments);

    /// <summary>Writes consecutive finished pages (CRC stamped) in one device write. With
    /// <paramref name="keepInCache"/> the pages also enter the cache (write-through: a document
    /// just written is usually read soon); their CRC was computed here, so they count as checked.</summary>
    public void WritePages(long firstId, ReadOnlySpan<byte> pages, bool keepInCache = false) =>
        WritePages(firstId, pages, keepInCache ? pages.Length / PageSize : 0);

    /// <summary>As above; only the first <paramref name="cachedPages"/> pages enter the cache
    /// (a document's pages written together with a journal page that is never read through the cache).</summary>
    public void WritePages(long firstId, ReadOnlySpan<byte> pages, int cachedPages)
    {
        long n = pages.Length / PageSize;
        for (long i = 0; i < n; i++) Cache.Invalidate(firstId + i);
        Device.Write(OffsetOf(firstId), pages[..WrittenLength(firstId, pages)]);
        for (int i = 0; i < Math.Min(cachedPages, n); i++) Cache.Insert(firstId + i, pages.Slice(i * PageSize, PageSize), crcChecked: true);
    }

    /// <summary>The unit a write's end is rounded up to: the OS page and the usual file-system
    /// block. A write that ends inside one makes the kernel read the rest of it from the disk
    /// first when it is not cached.</summary>
    public const int WriteBlock = 4096;

    /// <summary>
    /// How much of <paramref name="pages"/>, to be written at page <paramref name="firstId"/>,
    /// goes to the device. Nothing ever reads a short-CRC data or journal page past what its CRC
    /// covers (docs/FORMAT.md), so when the last page is one, the write stops at the first
    /// <see cref="WriteBlock"/> boundary after its covered bytes and the rest of the page keeps
    /// whatever the device held there. A 10 KB document in 8 KiB pages writes 12 KiB instead of
    /// 16, a 1 KiB one 4 KiB instead of 8, and a commit's journal page (the journal's last page,
    /// rewritten with the commit's records added) only as far as its records reach: less for
    /// the kernel to copy and the disk to store.
    /// A write that reaches past the device's end is written whole, so that a file is always
    /// whole pages. Only with <see cref="ShortWrites"/>, which the engine sets when syncs are
    /// batched (a flush interval, or no sync): when each commit syncs, the sync costs more for
    /// a region with holes than for a contiguous one, and durable 10 KB writes went from 203 to
    /// 290 us each with the short writes (C harness, three alternating runs).
    /// </summary>
    internal int WrittenLength(long firstId, ReadOnlySpan<byte> pages)
    {
        if (!ShortWrites || pages.Length < PageSize) return pages.Length;
        var last = pages[^PageSize..];
        var header = PageHeader.Read(last);
        if (header.Kind is not (PageKind.Data or PageKind.Journal) || (header.Flags & PageFlags.ShortCrc) == 0) return pages.Length;
        int covered = PageCrc.Covered(last, PageSize);
        if (covered < 0) return pages.Length;
        int keep = Math.Min(PageSize, (covered + WriteBlock - 1) / WriteBlock * WriteBlock);
        if (keep == PageSize || OffsetOf(firstId) + pages.Length > Device.Length) return pages.Length;
        return pages.Length - PageSize + keep;
    }
}
