namespace StreamDb.Engine;

/// <summary>
/// Which committed states readers (open readers, snapshots, reads in progress) still hold. A
/// page freed by commit t is not reused while any state older than t is pinned. Taking a pin
/// and reading the current state happen under one lock, so a reclaim can never miss a reader
/// that is about to start. The lock is held for a dictionary update, never for I/O.
/// </summary>
internal sealed class PinRegistry
{
    private readonly object gate = new();
    private readonly SortedDictionary<long, int> counts = new();

    public T Pin<T>(Func<T> current, Func<T, long> txnOf)
    {
        lock (gate)
        {
            var state = current();
            long txn = txnOf(state);
            counts[txn] = counts.TryGetValue(txn, out int n) ? n + 1 : 1;
            return state;
        }
    }

    public void Unpin(long txn)
    {
        lock (gate)
        {
            if (!counts.TryGetValue(txn, out int n)) return;
            if (n == 1) counts.Remove(txn); else counts[txn] = n - 1;
        }
    }

    /// <summary>The oldest pinned txn, or long.MaxValue when nothing is pinned.</summary>
    public long Oldest()
    {
        lock (gate)
        {
            foreach (var k in counts.Keys) return k;
            return long.MaxValue;
        }
    }
}
