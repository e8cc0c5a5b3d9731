using StreamDb.Util;

namespace StreamDb.Pages;

/// <summary>
/// Which pages of the file are free to allocate, as merged extents in address order, and the
/// high-water mark (pages at or past it are unused file area). Allocation is first-fit for
/// contiguity (a document's pages in one run read back in one large I/O); when no free extent
/// fits, the file grows; when the limit forbids growing, fragments are used. Not thread-safe:
/// the engine serializes access with its allocator lock.
/// </summary>
internal sealed class FreeSpace
{
    private const int FirstFitScanLimit = 64;
    private readonly ChunkedSortedSet<long> starts = new();       // ordered for first-fit
    private readonly Dictionary<long, long> extents = new();       // start -> count
    private readonly Dictionary<long, long> startOfEnd = new();    // end (exclusive) -> start: O(1) merge with the preceding extent
    private readonly ChunkedSortedSet<SizeKey> bySize = new();     // best fit when first fit gives up
    private long freeCount;

    public FreeSpace(long highWater, long maxPages)
    {
        HighWater = highWater;
        MaxPages = maxPages;
    }

    /// <summary>One past the last page in use; the file's used area is HighWater pages.</summary>
    public long HighWater { get; private set; }

    public long MaxPages { get; }

    /// <summary>Sets the high-water mark of an empty free set (used once, when a file is loaded).</summary>
    public void SetHighWater(long highWater)
    {
        if (starts.Count > 0) throw new InvalidOperationException("free set not empty");
        HighWater = highWater;
    }

    public long FreeCount => freeCount;

    public IEnumerable<Extent> Extents => starts.Select(s => new Extent(s, extents[s]));

    /// <summary>Returns pages to the free set, merging with neighbours (O(log n)).</summary>
    public void Free(Extent extent)
    {
        if (extent.Count <= 0) return;
        long start = extent.Start, count = extent.Count;
        if (extents.TryGetValue(start + count, out long nextCount))
        {
            Remove(start + count);
            count += nextCount;
        }
        if (startOfEnd.TryGetValue(start, out long prevStart))
        {
            count += extents[prevStart];
            Remove(prevStart);
            start = prevStart;
        }
        Add(start, count);
        freeCount += extent.Count;
    }

    private void Add(long start, long count)
    {
        starts.Add(start);
        extents[start] = count;
        startOfEnd[start + count] = start;
        bySize.Add(new SizeKey(count, start));
    }

    private void Remove(long start)
    {
        starts.Remove(start);
        if (extents.Remove(start, out long count))
        {
            startOfEnd.Remove(start + count);
            bySize.Remove(new SizeKey(count, start));
        }
    }

    /// <summary>Allocates <paramref name="count"/> pages, as few extents as it can.
    /// Returns false (allocating nothing) when the limit would be exceeded.</summary>
    public bool TryAllocate(long count, List<Extent> result, long reserve = 0)
    {
        if (count <= 0) return true;
        long limit = MaxPages - reserve;
        if (TryAllocateFree(count, result)) return true;
        if (HighWater + count <= limit)
        {
            // grow, absorbing a free extent that ends at the high-water mark
            long tailStart = HighWater;
            long need = count;
            long last = starts.Count > 0 ? starts.Max : -1;
            if (last >= 0 && last + extents[last] == HighWater)
            {
                long n = extents[last];
                Remove(last);
                freeCount -= n;
                tailStart = last;
                need = count - n;
            }
            HighWater += need;
            result.Add(new Extent(tailStart, count));
            return true;
        }
        // Fragments, then whatever growth the limit still allows.
        long available = freeCount - reserve + Math.Max(0, limit - HighWater);
        if (available < count) return false;
        long remaining = count;
        while (remaining > 0 && extents.Count > 0)
        {
            long start = starts.Min;
            long n = extents[start];
            long take = Math.Min(n, remaining);
            Take(start, n, take);
            result.Add(new Extent(start, take));
            remaining -= take;
        }
        if (remaining > 0)
        {
            result.Add(new Extent(HighWater, remaining));
            HighWater += remaining;
        }
        return true;
    }

    /// <summary>Allocates <paramref name="count"/> pages in one extent from the free pages alone,
    /// never growing the file; false, allocating nothing, when no free extent is that long.</summary>
    public bool TryAllocateFree(long count, List<Extent> result)
    {
        int scanned = 0;
        foreach (long start in starts)
        {
            long n = extents[start];
            if (n >= count)
            {
                Take(start, n, count);
                result.Add(new Extent(start, count));
                return true;
            }
            if (++scanned >= FirstFitScanLimit) break;
        }
        // Many small holes at the front (a page here and there) must not make every larger
        // allocation grow the file: the smallest hole that fits, wherever it is.
        if (scanned >= FirstFitScanLimit && bySize.TryGetCeiling(new SizeKey(count, 0), out var fit))
        {
            Take(fit.Start, fit.Count, count);
            result.Add(new Extent(fit.Start, count));
            return true;
        }
        return false;
    }

    /// <summary>Allocates one page, preferring <paramref name="preferred"/> (the page after the
    /// previous one of a chain) so that streamed documents stay contiguous.</summary>
    public bool TryAllocateNear(long preferred, long count, List<Extent> result, long reserve = 0)
    {
        if (freeCount + (MaxPages - reserve - HighWater) < count) return false;
        if (preferred > 0 && extents.TryGetValue(preferred, out long n))
        {
            long take = Math.Min(n, count);
            Take(preferred, n, take);
            result.Add(new Extent(preferred, take));
            return take == count || TryAllocate(count - take, result, reserve);
        }
        if (preferred > 0 && preferred == HighWater && HighWater + count <= MaxPages - reserve)
        {
            HighWater += count;
            result.Add(new Extent(preferred, count));
            return true;
        }
        return TryAllocate(count, result, reserve);
    }

    /// <summary>Allocates page <paramref name="id"/> if a free extent starts there or it is the
    /// high-water mark (and the limit allows); false, allocating nothing, otherwise.</summary>
    public bool TryAllocatePage(long id, long reserve = 0)
    {
        if (extents.TryGetValue(id, out long n))
        {
            Take(id, n, 1);
            return true;
        }
        if (id != HighWater || HighWater + 1 > MaxPages - reserve) return false;
        HighWater++;
        return true;
    }

    private void Take(long start, long n, long take)
    {
        Remove(start);
        if (n > take) Add(start + take, n - take);
        freeCount -= take;
    }

    /// <summary>Removes a free extent that ends at the high-water mark and lowers the mark;
    /// returns how many pages were cut.</summary>
    public long TrimTail()
    {
        if (starts.Count == 0) return 0;
        long last = starts.Max;
        long n = extents[last];
        if (last + n != HighWater) return 0;
        Remove(last);
        freeCount -= n;
        HighWater = last;
        return n;
    }

    /// <summary>A free extent ordered by length, then by address (smallest fit, lowest first).</summary>
    private readonly record struct SizeKey(long Count, long Start) : IComparable<SizeKey>
    {
        public int CompareTo(SizeKey other)
        {
            int c = Count.CompareTo(other.Count);
            return c != 0 ? c : Start.CompareTo(other.Start);
        }
    }
}
