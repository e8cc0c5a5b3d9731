namespace StreamDb.Engine;

/// <summary>
/// Which committed states readers (open readers, snapshots, reads in progress) still hold. A
/// page freed by commit t is not reused while any state older than t is pinned. Taking a pin
/// and reading the current state happen under one lock, so a reclaim can never miss a reader
/// that is about to start. The lock is held for a counter update, never for I/O.
/// </summary>
internal sealed class PinRegistry
{
    private readonly object gate = new();
    // Nearly every pin is of the current state: its txn is counted in a slot of its own. A
    // sorted dictionary here allocated a tree node per read (a fifth of a random 10 KB read's
    // managed time went to pinning and the collections it caused).
    private long hotTxn = -1;
    private int hotCount;
    private readonly Dictionary<long, int> others = new();

    public T Pin<T>(Func<T> current, Func<T, long> txnOf)
    {
        lock (gate)
        {
            var state = current();
            long txn = txnOf(state);
            if (txn == hotTxn || hotCount == 0)
            {
                hotTxn = txn;
                hotCount++;
            }
            else others[txn] = others.GetValueOrDefault(txn) + 1;
            return state;
        }
    }

    public void Unpin(long txn)
    {
        lock (gate)
        {
            // a txn may be counted both in the slot and among the others; either count will do
            if (txn == hotTxn && hotCount > 0) hotCount--;
            else if (others.TryGetValue(txn, out int n))
            {
                if (n == 1) others.Remove(txn); else others[txn] = n - 1;
            }
        }
    }

    /// <summary>The oldest pinned txn, or long.MaxValue when nothing is pinned.</summary>
    public long Oldest()
    {
        lock (gate)
        {
            long oldest = hotCount > 0 ? hotTxn : long.MaxValue;
            foreach (long txn in others.Keys) oldest = Math.Min(oldest, txn);
            return oldest;
        }
    }
}
