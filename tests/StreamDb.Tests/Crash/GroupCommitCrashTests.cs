using System.Collections.Concurrent;
using StreamDb.Storage;
using Xunit.Abstractions;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Crash;

/// <summary>Concurrent durable commits share syncs; a crash still loses none that was acknowledged.</summary>
public sealed class GroupCommitCrashTests(ITestOutputHelper output)
{
    [Fact]
    public void Concurrent_durable_writers_lose_no_acknowledged_write_when_a_shared_sync_is_cut()
    {
        var rnd = new Random(777);
        output.WriteLine("base seed 777");
        for (int round = 0; round < 40; round++)
        {
            int seed = rnd.Next();
            var device = new FaultInjectingDevice(seed);
            var db = OnDevice(device, new DatabaseOptions { PageSize = 4096, PageCachePages = 32 });
            int crashAt = device.Syncs + 1 + new Random(seed).Next(1, 60);
            device.CrashAtSync = crashAt;
            var acknowledged = new ConcurrentDictionary<string, byte[]>();
            var inFlight = new ConcurrentDictionary<string, byte[]>(); // each thread's write that got no answer
            var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                var r = new Random(seed + t);
                for (int i = 0; i < 200; i++)
                {
                    string path = $"/t{t}/{r.Next(20)}";
                    var data = Data(r.Next(0, 6000), r.Next());
                    if (db.Write(P(path), data, out _) != Status.Ok)
                    {
                        inFlight[path] = data; // the device crashed: this one may or may not be there
                        return;
                    }
                    acknowledged[path] = data;
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.True(device.HasCrashed, $"seed {seed}: crash point not reached");
            db.Dispose();
            Database.OpenOn(new MemoryDevice(device.CrashImage()), new DatabaseOptions(), out var re).ThrowIfError();
            using (re)
            {
                var v = re!.Verify();
                Assert.True(v == Status.Ok, $"seed {seed}: {LastError.Message}");
                foreach (var (path, data) in acknowledged)
                {
                    Assert.Equal(Status.Ok, re.Read(P(path), out var got));
                    bool isAcknowledged = got!.AsSpan().SequenceEqual(data);
                    bool isInFlight = inFlight.TryGetValue(path, out var attempted) && got.AsSpan().SequenceEqual(attempted);
                    Assert.True(isAcknowledged || isInFlight, $"seed {seed}: {path} lost its acknowledged value");
                }
            }
        }
    }

    [Fact]
    public void Concurrent_durable_writers_share_syncs()
    {
        var device = new FaultInjectingDevice(5) { SyncDelay = TimeSpan.FromMilliseconds(1) };
        using var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 });
        int syncsBefore = device.Syncs;
        const int Threads = 8, PerThread = 100;
        // Dedicated threads: the thread pool would start only as many as there are cores.
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            for (int i = 0; i < PerThread; i++) Ok(db.Write(P($"/s/{t}/{i}"), [1, 2, 3], out _));
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        int syncs = device.Syncs - syncsBefore;
        output.WriteLine($"{Threads * PerThread} commits, {syncs} syncs");
        // With a sync that takes a millisecond, writers arriving meanwhile ride the next one.
        Assert.True(syncs < Threads * PerThread / 2, $"{syncs} syncs for {Threads * PerThread} commits: commits are not grouped");
        Ok(db.Verify());
    }
}
