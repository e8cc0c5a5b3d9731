using System.Buffers.Binary;
using System.Diagnostics;
using StreamDb.Tests.Support;
using Xunit.Abstractions;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Concurrency;

/// <summary>Many threads at once: readers see only committed, self-consistent documents.</summary>
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    // A document that proves its own integrity: [path hash][sequence][length][payload derived from both].
    private static byte[] Make(int pathNo, long seq, int length)
    {
        var b = new byte[Math.Max(16, length)];
        BinaryPrimitives.WriteInt32LittleEndian(b, pathNo);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(4), seq);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(12), b.Length);
        for (int i = 16; i < b.Length; i++) b[i] = (byte)(pathNo * 31 + seq * 7 + i);
        return b;
    }

    private static void Check(int pathNo, byte[] b)
    {
        Assert.Equal(pathNo, BinaryPrimitives.ReadInt32LittleEndian(b));
        long seq = BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(4));
        Assert.Equal(b.Length, BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(12)));
        for (int i = 16; i < b.Length; i++)
            if (b[i] != (byte)(pathNo * 31 + seq * 7 + i)) throw new Xunit.Sdk.XunitException($"path {pathNo} seq {seq}: byte {i} wrong (torn read)");
    }

    [Fact]
    public void Readers_writers_searchers_and_streamers_running_together_see_only_committed_states()
    {
        using var dir = new TempDir();
        using var db = Database.Open(dir.File(), new DatabaseOptions { NoSync = true, PageCachePages = 256 });
        const int Paths = 32;
        for (int p = 0; p < Paths; p++) db.Write($"/c/{p:D2}", Make(p, 0, 100));
        long seq = 0, reads = 0, writes = 0;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var until = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(3);
        int seed = 99;
        output.WriteLine($"seed {seed}");
        var threads = new List<Thread>();
        for (int t = 0; t < 8; t++)
        {
            int id = t;
            threads.Add(new Thread(() =>
            {
                var rnd = new Random(seed + id);
                try
                {
                    while (until.Elapsed < duration)
                    {
                        int p = rnd.Next(Paths);
                        var path = P($"/c/{p:D2}");
                        switch (id % 4)
                        {
                            case 0: // writer
                                Ok(db.Write(path, Make(p, Interlocked.Increment(ref seq), rnd.Next(16, 30_000)), out _));
                                Interlocked.Increment(ref writes);
                                break;
                            case 1: // reader
                                Ok(db.Read(path, out var data));
                                Check(p, data!);
                                Interlocked.Increment(ref reads);
                                break;
                            case 2: // streamer
                                Ok(db.OpenReader(path, out var r));
                                using (r)
                                {
                                    var all = new List<byte>();
                                    while (r!.Next(out var chunk) == Status.Ok) all.AddRange(chunk.ToArray());
                                    Check(p, all.ToArray());
                                }
                                break;
                            default: // searcher, and now and then verify while the others write
                                Assert.Equal(Paths, db.Search("/c/").Count);
                                if (rnd.Next(20) == 0) Ok(db.Verify());
                                break;
                        }
                    }
                }
                catch (Exception e) { errors.Enqueue(e); }
            }));
        }
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
        output.WriteLine($"{writes} writes, {reads} reads");
        Assert.True(writes > 0 && reads > 0);
        Ok(db.Verify());
    }

    [Fact]
    public void Concurrent_writers_to_different_paths_all_commit()
    {
        using var db = Memory();
        Parallel.For(0, 8, t =>
        {
            for (int i = 0; i < 200; i++) Ok(db.Write(P($"/w/{t}/{i}"), Make(t, i, 500 + i), out _));
        });
        Ok(db.GetStats(out var st));
        Assert.Equal(1600, st.Documents);
        for (int t = 0; t < 8; t++) Check(t, db.Read($"/w/{t}/199"));
        Ok(db.Verify());
    }
}
