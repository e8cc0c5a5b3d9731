using System.Runtime.CompilerServices;

namespace StreamDb.Engine;

/// <summary>
/// Per pack page, how many versions have their tail in it. Counts live in chunks of 4,096 pages,
/// a chunk allocated when a pack page first lands in its range: two bytes a page where pack
/// pages are, nothing where they are not. A batch packing tails next to their chains makes every
/// third page a pack page; a dictionary of them was a sixth of an open's time (its lookups miss
/// the CPU cache) and some 30 bytes a pack page. Not thread-safe: the engine's locks guard it.
/// </summary>
internal sealed class PackCounts
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;
    private ushort[]?[] chunks = [];

    /// <summary>Pack pages with a count above zero.</summary>
    public int Count { get; private set; }

    /// <summary>The most tails a count can hold (a pack page holds far fewer fragments).</summary>
    public const int Max = ushort.MaxValue;

    /// <summary>Adds one to the page's count and returns the count before (the open's hot path:
    /// one lookup).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Increment(long page)
    {
        long c = page >> ChunkBits;
        if ((ulong)c < (ulong)chunks.Length && chunks[c] is { } chunk)
        {
            ref ushort slot = ref chunk[page & (ChunkSize - 1)];
            int before = slot;
            if (before == Max) return Add(page, 1) - 1; // throws
            slot = (ushort)(before + 1);
            if (before == 0) Count++;
            return before;
        }
        return Add(page, 1) - 1;
    }

    public int Get(long page)
    {
        long c = page >> ChunkBits;
        return c < chunks.Length && chunks[c] is { } chunk ? chunk[page & (ChunkSize - 1)] : 0;
    }

    /// <summary>Adds <paramref name="delta"/> to the page's count and returns the new count; a
    /// count that reaches zero leaves the page. Throws when the count would leave [0, Max]: the
    /// caller checks what a damaged file could make it do.</summary>
    public int Add(long page, int delta)
    {
        if (page < 0) throw new ArgumentOutOfRangeException(nameof(page));
        if (delta == 0) return Get(page);
        long c = page >> ChunkBits;
        if (c >= chunks.Length)
        {
            if (delta <= 0) throw new InvalidOperationException($"pack page {page} has no count to lower");
            Array.Resize(ref chunks, (int)Math.Max(c + 1, 2L * chunks.Length));
        }
        var chunk = chunks[c] ??= new ushort[ChunkSize];
        int i = (int)(page & (ChunkSize - 1));
        int before = chunk[i], after = before + delta;
        if (after < 0 || after > Max) throw new InvalidOperationException($"pack page {page}: count {before} + {delta} out of range");
        chunk[i] = (ushort)after;
        if (before == 0 && after > 0) Count++;
        else if (before > 0 && after == 0) Count--;
        return after;
    }
}
