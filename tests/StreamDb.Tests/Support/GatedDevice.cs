using StreamDb.Storage;

namespace StreamDb.Tests.Support;

/// <summary>A memory device whose reads, while it is closed, block on every thread not marked
/// as let through (<see cref="LetThisThreadThrough"/>) until <see cref="Open"/>: tests hold
/// back work on other threads (a writer scanning the pages in use) and show what goes on without
/// it. The next <see cref="ReadsToFail"/> reads that get through throw IOException.</summary>
internal sealed class GatedDevice : IStorageDevice
{
    private readonly MemoryDevice inner;
    private readonly ManualResetEventSlim open = new(true);
    private readonly ManualResetEventSlim someoneWaits = new(false);
    [ThreadStatic] private static bool letThrough;
    private int waiting;

    public GatedDevice(byte[] image) => inner = new MemoryDevice(image);

    public void Close() => open.Reset();
    public void Open() => open.Set();

    /// <summary>Reads from the calling thread never block.</summary>
    public static void LetThisThreadThrough() => letThrough = true;

    /// <summary>How many of the next reads throw IOException (a device that fails for a while).</summary>
    public int ReadsToFail
    {
        get => Volatile.Read(ref readsToFail);
        set => Volatile.Write(ref readsToFail, value);
    }
    private int readsToFail;

    /// <summary>How many reads are blocked now.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>Whether some read blocked within <paramref name="timeout"/>.</summary>
    public bool SomeoneWaited(TimeSpan timeout) => someoneWaits.Wait(timeout);

    private void Gate()
    {
        if (!letThrough && !open.IsSet)
        {
            Interlocked.Increment(ref waiting);
            someoneWaits.Set();
            open.Wait();
            Interlocked.Decrement(ref waiting);
        }
        int left = Volatile.Read(ref readsToFail);
        while (left > 0)
        {
            int seen = Interlocked.CompareExchange(ref readsToFail, left - 1, left);
            if (seen == left) throw new IOException("injected read failure");
            left = seen;
        }
    }

    public long Length => inner.Length;
    public bool IsPersistent => false;

    public void Read(long offset, Span<byte> buffer)
    {
        Gate();
        inner.Read(offset, buffer);
    }

    public void ReadScatter(long offset, ReadOnlySpan<IoSegment> segments)
    {
        Gate();
        foreach (var s in segments)
        {
            inner.Read(offset, s.AsSpan());
            offset += s.Length;
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> data) => inner.Write(offset, data);
    public void Sync() { }
    public void SetLength(long length) => inner.SetLength(length);
    public void Dispose()
    {
        open.Set();
        inner.Dispose();
    }
}
