namespace StreamDb.Native;

/// <summary>
/// A read running on the thread pool. The outcome stays managed (a byte array) until the
/// caller asks for it, so freeing the handle while the read runs leaves nothing native to
/// leak: the task's result just becomes garbage.
/// </summary>
internal sealed class AsyncReadEntry : HandleEntry
{
    private readonly CancellationTokenSource cancellation = new();

    public AsyncReadEntry(DatabaseEntry owner, byte[] path) : base(owner)
    {
        var database = owner.Database;
        var token = cancellation.Token;
        Task = System.Threading.Tasks.Task.Run(() => Run(database, path, token), token);
    }

    public Task<AsyncReadOutcome> Task { get; }

    private static AsyncReadOutcome Run(Database database, byte[] path, CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        var status = database.Read(path, out byte[]? data);
        return new AsyncReadOutcome(status, data, status < 0 ? LastError.Message : "");
    }

    /// <summary>True when the read finished (in any way) within <paramref name="timeoutMs"/>.</summary>
    public bool Wait(int timeoutMs)
    {
        try
        {
            return Task.Wait(timeoutMs);
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    /// <summary>Before the database closes under it, a running read is let finish.</summary>
    public void WaitForCompletion() => Wait(Timeout.Infinite);

    public override void Release()
    {
        cancellation.Cancel();
        if (Task.IsCompleted)
            cancellation.Dispose();
    }
}
