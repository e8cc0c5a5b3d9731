using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Concurrency;

public sealed class AsyncReadTests
{
    [Fact]
    public async Task A_thousand_concurrent_async_reads_all_return_their_documents()
    {
        using var db = Memory(new DatabaseOptions { PageCachePages = 64 });
        for (int i = 0; i < 100; i++) db.Write($"/a/{i}", Data(5000 + i, i));
        var tasks = Enumerable.Range(0, 1000).Select(i => db.ReadAsync($"/a/{i % 100}").AsTask()).ToArray();
        var results = await Task.WhenAll(tasks);
        for (int i = 0; i < 1000; i++) Assert.Equal(Data(5000 + i % 100, i % 100), results[i]);
    }

    [Fact]
    public async Task A_cancelled_async_read_completes_as_cancelled()
    {
        using var db = Memory();
        db.Write("/c", [1]);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await db.ReadAsync("/c", cts.Token));
    }

    [Fact]
    public async Task An_async_read_of_a_missing_path_fails_with_NotFound()
    {
        using var db = Memory();
        var e = await Assert.ThrowsAsync<StreamDbException>(async () => await db.ReadAsync("/missing"));
        Assert.Equal(Status.NotFound, e.Status);
    }
}
