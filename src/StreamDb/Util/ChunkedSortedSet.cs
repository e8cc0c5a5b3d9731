using System.Collections;

namespace StreamDb.Util;

/// <summary>
/// A sorted set kept as a list of sorted arrays (chunks of at most 128 keys). It exists for the
/// free-space map, which runs under the allocator lock on every commit: SortedSet allocates a
/// stack per enumeration and walks its whole range to count a GetViewBetween, and both showed
/// up as allocator time and gen-0 collections in the write path. Here lookups are two binary
/// searches, insert and remove move at most one chunk's keys, and enumeration is a struct.
/// Not thread-safe.
/// </summary>
internal sealed class ChunkedSortedSet<T> : IEnumerable<T> where T : IComparable<T>
{
    private const int ChunkCapacity = 128;
    private readonly List<Chunk> chunks = new();

    private sealed class Chunk
    {
        public readonly T[] Items = new T[ChunkCapacity];
        public int Count;
    }

    public int Count { get; private set; }

    public T Min => Count > 0 ? chunks[0].Items[0] : throw new InvalidOperationException("the set is empty");

    public T Max
    {
        get
        {
            if (Count == 0) throw new InvalidOperationException("the set is empty");
            var last = chunks[^1];
            return last.Items[last.Count - 1];
        }
    }

    /// <summary>Adds <paramref name="key"/>; false when it is already there.</summary>
    public bool Add(T key)
    {
        if (chunks.Count == 0) chunks.Add(new Chunk());
        int ci = ChunkFor(key);
        var c = chunks[ci];
        int i = Search(c, key);
        if (i >= 0) return false;
        i = ~i;
        if (c.Count == ChunkCapacity)
        {
            // Split in half so that keys added in order leave chunks half full at worst.
            const int half = ChunkCapacity / 2;
            var upper = new Chunk();
            Array.Copy(c.Items, half, upper.Items, 0, half);
            Array.Clear(c.Items, half, half);
            upper.Count = half;
            c.Count = half;
            chunks.Insert(ci + 1, upper);
            if (i > half) { c = upper; i -= half; }
        }
        Array.Copy(c.Items, i, c.Items, i + 1, c.Count - i);
        c.Items[i] = key;
        c.Count++;
        Count++;
        return true;
    }

    /// <summary>Removes <paramref name="key"/>; false when it is not there.</summary>
    public bool Remove(T key)
    {
        if (Count == 0) return false;
        int ci = ChunkFor(key);
        var c = chunks[ci];
        int i = Search(c, key);
        if (i < 0) return false;
        Array.Copy(c.Items, i + 1, c.Items, i, c.Count - i - 1);
        c.Count--;
        c.Items[c.Count] = default!;
        Count--;
        if (c.Count == 0) chunks.RemoveAt(ci);
        else if (ci + 1 < chunks.Count && c.Count + chunks[ci + 1].Count <= ChunkCapacity / 2)
        {
            // Keep chunks from thinning out, so the chunk list stays short.
            var next = chunks[ci + 1];
            Array.Copy(next.Items, 0, c.Items, c.Count, next.Count);
            c.Count += next.Count;
            chunks.RemoveAt(ci + 1);
        }
        return true;
    }

    /// <summary>The smallest key at or above <paramref name="key"/>, if any.</summary>
    public bool TryGetCeiling(T key, out T found)
    {
        found = default!;
        if (Count == 0) return false;
        int ci = ChunkFor(key);
        var c = chunks[ci];
        int i = Search(c, key);
        if (i < 0) i = ~i;
        if (i == c.Count)
        {
            if (ci + 1 == chunks.Count) return false;
            c = chunks[ci + 1];
            i = 0;
        }
        found = c.Items[i];
        return true;
    }

    // The last chunk whose first key is at or below key (the first chunk when none is).
    private int ChunkFor(T key)
    {
        int lo = 0, hi = chunks.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (chunks[mid].Items[0].CompareTo(key) <= 0) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    // Array.BinarySearch's contract: the index, or the complement of where the key would go.
    private static int Search(Chunk c, T key)
    {
        int lo = 0, hi = c.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            int cmp = c.Items[mid].CompareTo(key);
            if (cmp == 0) return mid;
            if (cmp < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>In ascending order; the set must not change while it is enumerated.</summary>
    public struct Enumerator : IEnumerator<T>
    {
        private readonly List<Chunk> chunks;
        private int chunk, index;

        internal Enumerator(ChunkedSortedSet<T> set)
        {
            chunks = set.chunks;
            chunk = 0;
            index = -1;
        }

        public readonly T Current => chunks[chunk].Items[index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (chunk >= chunks.Count) return false;
            if (++index < chunks[chunk].Count) return true;
            chunk++;
            index = 0;
            return chunk < chunks.Count;
        }

        public void Reset()
        {
            chunk = 0;
            index = -1;
        }

        public readonly void Dispose() { }
    }
}
