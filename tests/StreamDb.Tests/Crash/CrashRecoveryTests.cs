using StreamDb.Storage;
using StreamDb.Tests.Support;
using Xunit.Abstractions;

namespace StreamDb.Tests.Crash;

/// <summary>The first promise: no acknowledged byte is lost, whatever the moment of the crash.</summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    // Fixed, so that every run of the suite tests the same cases. A long run by hand explores
    // others: STREAMDB_CRASH_SEED sets the base seed of the randomized tests below (as it does
    // for the C crash test), STREAMDB_CRASH_CASES_FACTOR multiplies their case counts, and
    // STREAMDB_CRASH_CASES sets the count of the random-offset test before that.
    private static readonly int BaseSeed = EnvInt("STREAMDB_CRASH_SEED", 20261121);
    private static readonly int CaseFactor = Math.Max(1, EnvInt("STREAMDB_CRASH_CASES_FACTOR", 1));

    private static int EnvInt(string name, int otherwise) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : otherwise;

    private static (int Writes, int Syncs) DryRun(int seed)
    {
        var device = new FaultInjectingDevice(seed);
        return new CrashWorkload(seed).Run(device);
    }

    [Fact]
    public void A_crash_at_every_write_of_the_workload_loses_no_acknowledged_write()
    {
        int seed = BaseSeed;
        var (writes, _) = DryRun(seed);
        output.WriteLine($"seed {seed}: {writes} writes");
        Assert.True(writes > 50);
        for (int k = 1; k <= writes; k++)
        {
            var device = new FaultInjectingDevice(seed * 31 + k);
            var workload = new CrashWorkload(seed);
            workload.Run(device, d => d.CrashAtWrite = d.Writes + k);
            Assert.True(device.HasCrashed, $"crash point {k} not reached");
            workload.CheckRecovered(device.CrashImage());
        }
    }

    [Fact]
    public void A_crash_at_every_write_and_sync_of_a_close_that_checkpoints_the_journal_loses_nothing()
    {
        const int Paths = 6000; // enough journal (over 256 KiB) for the close to write a checkpoint
        static Database Loaded(FaultInjectingDevice device)
        {
            var db = TestDb.OnDevice(device, CrashWorkload.Options());
            TestDb.Ok(db.BeginBatch(out var batch));
            for (int i = 0; i < Paths; i++) TestDb.Ok(batch!.Write(TestDb.P($"/p/{i:D5}"), [(byte)i, (byte)(i >> 8)]));
            TestDb.Ok(batch!.Commit());
            return db;
        }
        static void Check(byte[] image, string what)
        {
            using var db = TestDb.OnDevice(new FaultInjectingDevice(1, image), CrashWorkload.Options());
            TestDb.Ok(db.GetStats(out var st));
            Assert.True(Paths == st.Paths, $"{what}: {st.Paths} paths");
            foreach (int i in new[] { 0, 1, Paths / 2, Paths - 1 })
                Assert.Equal(new[] { (byte)i, (byte)(i >> 8) }, db.Read($"/p/{i:D5}"));
            TestDb.Ok(db.Verify());
        }
        var dry = new FaultInjectingDevice(5);
        var loaded = Loaded(dry);
        int w0 = dry.Writes, s0 = dry.Syncs;
        loaded.Dispose();
        int writes = dry.Writes - w0, syncs = dry.Syncs - s0;
        output.WriteLine($"the close did {writes} writes and {syncs} syncs");
        Assert.True(syncs >= 2, "the close wrote no checkpoint");
        for (int k = 1; k <= writes + syncs; k++)
        {
            var device = new FaultInjectingDevice(100 + k);
            var db = Loaded(device);
            if (k <= writes) device.CrashAtWrite = device.Writes + k; else device.CrashAtSync = device.Syncs + k - writes;
            db.Dispose();
            Assert.True(device.HasCrashed, $"crash point {k} not reached");
            Check(device.CrashImage(), $"crash point {k}");
        }
    }

    [Fact]
    public void A_crash_at_every_sync_point_loses_no_acknowledged_write()
    {
        int seed = BaseSeed + 1;
        var (_, syncs) = DryRun(seed);
        output.WriteLine($"seed {seed}: {syncs} syncs");
        Assert.True(syncs > 10);
        for (int k = 1; k <= syncs; k++)
        {
            foreach (bool keepSome in new[] { false, true })
            {
                var device = new FaultInjectingDevice(seed * 17 + k) { KeepSomeUnsyncedWrites = keepSome };
                var workload = new CrashWorkload(seed);
                workload.Run(device, d => d.CrashAtSync = d.Syncs + k);
                Assert.True(device.HasCrashed);
                workload.CheckRecovered(device.CrashImage());
            }
        }
    }

    [Fact]
    public void Crashes_at_random_byte_offsets_with_torn_and_dropped_writes_lose_nothing_acknowledged()
    {
        int cases = EnvInt("STREAMDB_CRASH_CASES", 300) * CaseFactor;
        var rnd = new Random(BaseSeed + 2);
        output.WriteLine($"base seed {BaseSeed + 2}, {cases} cases (STREAMDB_CRASH_SEED, STREAMDB_CRASH_CASES to change)");
        for (int c = 0; c < cases; c++)
        {
            int seed = rnd.Next();
            var probe = new FaultInjectingDevice(seed);
            new CrashWorkload(seed).Run(probe);
            long total = probe.BytesWritten;
            var device = new FaultInjectingDevice(seed) { CrashAtByte = -1 };
            var workload = new CrashWorkload(seed);
            long cut = (long)(rnd.NextDouble() * total);
            workload.Run(device, d => d.CrashAtByte = d.BytesWritten + Math.Max(1, cut));
            if (!device.HasCrashed) device.Crash();
            try
            {
                workload.CheckRecovered(device.CrashImage());
            }
            catch
            {
                output.WriteLine($"failing case: seed {seed}, cut at byte {cut} of {total}");
                throw;
            }
        }
    }

    [Fact]
    public void Crashes_during_compressed_writes_lose_nothing_acknowledged()
    {
        var rnd = new Random(BaseSeed + 4);
        int cases = 100 * CaseFactor;
        output.WriteLine($"base seed {BaseSeed + 4}, {cases} cases");
        for (int c = 0; c < cases; c++)
        {
            int seed = rnd.Next();
            var probe = new FaultInjectingDevice(seed);
            new CrashWorkload(seed, compress: true).Run(probe);
            var device = new FaultInjectingDevice(seed);
            var workload = new CrashWorkload(seed, compress: true);
            long cut = 1 + (long)(rnd.NextDouble() * probe.BytesWritten);
            workload.Run(device, d => d.CrashAtByte = d.BytesWritten + cut);
            if (!device.HasCrashed) device.Crash();
            try
            {
                workload.CheckRecovered(device.CrashImage());
            }
            catch
            {
                output.WriteLine($"failing case: seed {seed}, cut at byte {cut} of {probe.BytesWritten}");
                throw;
            }
        }
    }

    [Fact]
    public void Group_commit_loses_at_most_what_was_not_yet_flushed_and_stays_consistent()
    {
        var rnd = new Random(BaseSeed + 3);
        int cases = 50 * CaseFactor;
        output.WriteLine($"base seed {BaseSeed + 3}, {cases} cases");
        for (int c = 0; c < cases; c++)
        {
            int seed = rnd.Next();
            var device = new FaultInjectingDevice(seed);
            Database.OpenOn(device, CrashWorkload.Options(flushMs: 1_000_000), out var db).ThrowIfError();
            var acknowledgedAndFlushed = new Dictionary<string, byte[]>();
            int ops = rnd.Next(5, 40);
            for (int i = 0; i < ops; i++)
            {
                string p = "/g/" + rnd.Next(10);
                var data = Support.TestDb.Data(rnd.Next(0, 10000), rnd.Next());
                Support.TestDb.Ok(db!.Write(Support.TestDb.P(p), data, out _));
                if (rnd.Next(5) == 0)
                {
                    Support.TestDb.Ok(db.Flush());
                    // everything acknowledged before a flush is durable
                    acknowledgedAndFlushed.Clear();
                    foreach (var q in db.Search(""))
                        acknowledgedAndFlushed[q] = db.Read(q);
                }
            }
            device.Crash();
            var image = device.CrashImage();
            Database.OpenOn(new MemoryDevice(image), CrashWorkload.Options(), out var re).ThrowIfError();
            using (re)
            {
                Support.TestDb.Ok(re!.Verify());
                // The recovered state is some state at or after the last flush: every path that was
                // flushed still exists (paths are never deleted in this workload).
                foreach (var (p, _) in acknowledgedAndFlushed) Assert.True(re.Exists(p), $"seed {seed}: flushed path {p} lost");
            }
        }
    }

    [Fact]
    public void Group_commit_survives_a_crash_in_the_middle_of_a_flush_with_every_earlier_flush_intact()
    {
        // Relaxed commits leave their journal records to the flush, which appends them into
        // pages reserved for them, then writes the root: the crash lands anywhere in that.
        var rnd = new Random(BaseSeed + 4);
        int cases = 60 * CaseFactor;
        output.WriteLine($"base seed {BaseSeed + 4}, {cases} cases");
        for (int c = 0; c < cases; c++)
        {
            int seed = rnd.Next();
            var device = new FaultInjectingDevice(seed);
            Database.OpenOn(device, CrashWorkload.Options(flushMs: 1_000_000), out var db).ThrowIfError();
            device.CrashAtWrite = device.Writes + rnd.Next(1, 120);
            var flushed = new Dictionary<string, byte[]>();
            var later = new Dictionary<string, List<byte[]>>(); // acknowledged after the last good flush
            using (db)
            {
                for (int i = 0; i < 60 && !device.HasCrashed; i++)
                {
                    string p = "/g/" + rnd.Next(12);
                    var data = TestDb.Data(rnd.Next(0, 6000), rnd.Next());
                    if (db!.Write(TestDb.P(p), data, out _) == Status.Ok)
                    {
                        if (!later.TryGetValue(p, out var list)) later[p] = list = [];
                        list.Add(data);
                    }
                    if (rnd.Next(4) == 0 && db.Flush() == Status.Ok)
                    {
                        foreach (var (q, list) in later) flushed[q] = list[^1];
                        later.Clear();
                    }
                }
                device.Crash();
            }
            var image = device.CrashImage();
            Database.OpenOn(new MemoryDevice(image), CrashWorkload.Options(), out var re).ThrowIfError();
            using (re)
            {
                TestDb.Ok(re!.Verify());
                // each flushed path holds what the last good flush saw, or something acknowledged after it
                foreach (var (p, data) in flushed)
                {
                    Assert.True(re.Exists(p), $"seed {seed}: flushed path {p} lost");
                    var now = re.Read(p);
                    bool known = now.AsSpan().SequenceEqual(data) || (later.TryGetValue(p, out var list) && list.Any(d => d.AsSpan().SequenceEqual(now)));
                    Assert.True(known, $"seed {seed}: {p} holds bytes never written");
                }
            }
        }
    }
}
