namespace StreamDb.Pages;

/// <summary>
/// An LRU cache of whole pages by page id, split into shards (one lock each) so that reader
/// threads rarely meet. Slots live in one arena per shard, allocated on first use: no
/// allocation per page. A page enters the cache after it was read from the device; whether its
/// CRC was checked is remembered so that a quick-mode read never vouches for a checked read.
/// Writers invalidate a page id before the page is rewritten.
/// </summary>
internal sealed class PageCache
{
    private readonly Shard[] shards;
    private long hits;
    private long misses;

    public PageCache(int capacityPages, int pageSize)
    {
        int shardCount = capacityPages >= 256 ? 16 : capacityPages >= 16 ? 4 : 1;
        shards = new Shard[capacityPages <= 0 ? 0 : shardCount];
        for (int i = 0; i < shards.Length; i++)
            shards[i] = new Shard(capacityPages / shardCount + (i < capacityPages % shardCount ? 1 : 0), pageSize);
    }

    public long Hits => Interlocked.Read(ref hits);
    public long Misses => Interlocked.Read(ref misses);

    public bool Enabled => shards.Length > 0;

    // Fibonacci hashing: page ids in arithmetic progression (a document's pages alternating
    // with journal pages puts every data page on an even id) spread evenly over the shards;
    // id % shards put them all in half of the shards, and the cache held half as many.
    private Shard ShardOf(long id) =>
        shards.Length == 1 ? shards[0] : shards[(int)(((ulong)id * 0x9E3779B97F4A7C15UL) >> (64 - System.Numerics.BitOperations.Log2((uint)shards.Length)))];

    /// <summary>On a hit copies the page's header to <paramref name="header"/> and
    /// <paramref name="destination"/>.Length bytes from <paramref name="offset"/> of the page.
    /// A page not CRC-checked counts as a miss when <paramref name="needChecked"/>.</summary>
    public bool TryRead(long id, Span<byte> header, int offset, Span<byte> destination, bool needChecked)
    {
        if (shards.Length == 0) { Interlocked.Increment(ref misses); return false; }
        bool hit = ShardOf(id).TryRead(id, header, offset, destination, needChecked);
        if (hit) Interlocked.Increment(ref hits); else Interlocked.Increment(ref misses);
        return hit;
    }

    public void Insert(long id, ReadOnlySpan<byte> page, bool crcChecked)
    {
        if (shards.Length > 0) ShardOf(id).Insert(id, page, crcChecked);
    }

    public void Invalidate(long id)
    {
        if (shards.Length > 0) ShardOf(id).Invalidate(id);
    }

    private sealed class Shard
    {
        private readonly object gate = new();
        private readonly int capacity;
        private readonly int pageSize;
        private readonly Dictionary<long, int> slotOf = new();
        private readonly long[] ids;
        private readonly bool[] checkedCrc;
        private readonly int[] prev;
        private readonly int[] next;
        private byte[]? arena;
        private int used;
        private int head = -1; // most recently used
        private int tail = -1; // least recently used

        public Shard(int capacity, int pageSize)
        {
            this.capacity = Math.Max(1, capacity);
            this.pageSize = pageSize;
            ids = new long[this.capacity];
            checkedCrc = new bool[this.capacity];
            prev = new int[this.capacity];
            next = new int[this.capacity];
        }

        private Span<byte> Slot(int slot) => arena.AsSpan(slot * pageSize, pageSize);

        public bool TryRead(long id, Span<byte> header, int offset, Span<byte> destination, bool needChecked)
        {
            lock (gate)
            {
                if (!slotOf.TryGetValue(id, out int slot) || (needChecked && !checkedCrc[slot])) return false;
                Touch(slot);
                var page = Slot(slot);
                page[..PageHeader.Size].CopyTo(header);
                page.Slice(offset, destination.Length).CopyTo(destination);
                return true;
            }
        }

        public void Insert(long id, ReadOnlySpan<byte> page, bool crcChecked)
        {
            lock (gate)
            {
                if (!slotOf.TryGetValue(id, out int slot))
                {
                    // On the pinned-object heap, not the large-object heap: the first page a
                    // database caches allocates its shard's arena (1 MiB by default), and after
                    // an open's large checkpoint array that pushed the large-object heap past
                    // its first budget, so the first read paid a full, background collection
                    // and the start of its thread (0.3-0.5 ms of a 1.1 ms open + first read).
                    // Uninitialized: a slot is written whole before it is read.
                    arena ??= GC.AllocateUninitializedArray<byte>(
                        (long)capacity * pageSize <= int.MaxValue ? capacity * pageSize : throw new InvalidOperationException("cache shard too large"), pinned: true);
                    if (used < capacity) slot = used++;
                    else
                    {
                        slot = tail;
                        Unlink(slot);
                        slotOf.Remove(ids[slot]);
                    }
                    ids[slot] = id;
                    slotOf[id] = slot;
                    LinkFront(slot);
                }
                else Touch(slot);
                page.CopyTo(Slot(slot));
                checkedCrc[slot] = crcChecked;
            }
        }

        public void Invalidate(long id)
        {
            lock (gate)
            {
                if (!slotOf.Remove(id, out int slot)) return;
                Unlink(slot);
                // Move the freed slot to the LRU end so it is reused first.
                LinkBack(slot);
                ids[slot] = -1;
                slotOf.Remove(-1);
            }
        }

        private void Touch(int slot)
        {
            if (head == slot) return;
            Unlink(slot);
            LinkFront(slot);
        }

        private void Unlink(int slot)
        {
            int p = prev[slot], n = next[slot];
            if (p >= 0) next[p] = n; else head = n;
            if (n >= 0) prev[n] = p; else tail = p;
            prev[slot] = next[slot] = -1;
        }

        private void LinkFront(int slot)
        {
            prev[slot] = -1;
            next[slot] = head;
            if (head >= 0) prev[head] = slot;
            head = slot;
            if (tail < 0) tail = slot;
        }

        private void LinkBack(int slot)
        {
            next[slot] = -1;
            prev[slot] = tail;
            if (tail >= 0) next[tail] = slot;
            tail = slot;
            if (head < 0) head = slot;
        }
    }
}
