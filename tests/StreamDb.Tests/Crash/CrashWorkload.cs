using StreamDb.Storage;
using Xunit.Abstractions;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Crash;

/// <summary>
/// A seeded random workload of writes, overwrites, deletes and batches over a fault-injecting
/// device, with a model of what was acknowledged. After the device crashes, the image a
/// restart would find is reopened and checked against the model: every acknowledged operation
/// is there, the one in flight is either wholly there or wholly absent, verify passes.
/// </summary>
internal sealed class CrashWorkload
{
    private readonly int seed;
    private readonly int operations;
    private readonly Dictionary<string, byte[]?> model = new();
    private readonly Dictionary<string, byte[]?> inFlight = new();

    private readonly bool compress;

    public CrashWorkload(int seed, int operations = 40, bool compress = false)
    {
        this.seed = seed;
        this.operations = operations;
        this.compress = compress;
    }

    // batches pack the last pages of larger documents too, anywhere (odd seeds) or next to their
    // chains (even seeds): crashes meet every kind of packed tail
    private TailPacking Packing => seed % 2 == 0 ? TailPacking.NextToChain : TailPacking.AllTails;

    public static DatabaseOptions Options(int flushMs = 0, bool compress = false, TailPacking packing = TailPacking.AllTails) =>
        new() { PageSize = 4096, VersionsToKeep = 1, PageCachePages = 64, FlushIntervalMs = flushMs, Compress = compress, TailPacking = packing };

    /// <summary>Runs the workload until it ends or the device crashes. Returns writes and syncs done after open.</summary>
    public (int Writes, int Syncs) Run(FaultInjectingDevice device, Action<FaultInjectingDevice>? arm = null)
    {
        using var db = OnDevice(device, Options(compress: compress, packing: Packing));
        int w0 = device.Writes, s0 = device.Syncs;
        arm?.Invoke(device);
        var rnd = new Random(seed);
        for (int i = 0; i < operations && !device.HasCrashed; i++)
        {
            inFlight.Clear();
            string path = "/doc/" + rnd.Next(8);
            int kind = rnd.Next(10);
            Status s;
            if (kind < 6)
            {
                int size = rnd.Next(4) switch { 0 => rnd.Next(0, 100), 1 => rnd.Next(4000, 4100), 2 => rnd.Next(8000, 20000), _ => rnd.Next(1, 3000) };
                var data = compress && rnd.Next(2) == 0 ? Integration.CompressedStorageTests.Json(size * 8, rnd.Next()) : Data(size, rnd.Next());
                inFlight[path] = data;
                s = db.Write(P(path), data, out _);
            }
            else if (kind < 8)
            {
                inFlight[path] = null;
                s = db.Delete(P(path));
                if (s == Status.NotFound) { inFlight.Clear(); continue; }
            }
            else
            {
                Ok(db.BeginBatch(out var batch));
                using (batch)
                {
                    for (int k = 0; k < 3; k++)
                    {
                        string p = "/batch/" + rnd.Next(4);
                        var data = Data(rnd.Next(0, 9000), rnd.Next());
                        inFlight[p] = data;
                        s = batch!.Write(P(p), data);
                        if (s != Status.Ok) break;
                    }
                    s = device.HasCrashed ? Status.IOError : batch!.Commit();
                }
            }
            if (s == Status.Ok)
            {
                foreach (var (p, d) in inFlight) model[p] = d;
                inFlight.Clear();
            }
            else if (!device.HasCrashed)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}: unexpected {s}: {LastError.Message}");
            }
        }
        return (device.Writes - w0, device.Syncs - s0);
    }

    /// <summary>Reopens the crash image and checks it against the model.</summary>
    public void CheckRecovered(byte[] image, ITestOutputHelper? output = null)
    {
        var status = Database.OpenOn(new MemoryDevice(image), Options(compress: compress, packing: Packing), out var db);
        if (status != Status.Ok) throw new Xunit.Sdk.XunitException($"seed {seed}: reopen failed: {status}: {LastError.Message}");
        using (db)
        {
            var v = db!.Verify();
            if (v != Status.Ok) throw new Xunit.Sdk.XunitException($"seed {seed}: verify failed: {LastError.Message}");
            var paths = new HashSet<string>(model.Keys);
            paths.UnionWith(inFlight.Keys);
            // The in-flight operation is atomic: all of its paths show the new value, or none.
            bool? inFlightApplied = null;
            foreach (var p in paths)
            {
                var st = db.Read(P(p), out var actual);
                if (st != Status.Ok && st != Status.NotFound) throw new Xunit.Sdk.XunitException($"seed {seed}: reading {p}: {st}: {LastError.Message}");
                byte[]? got = st == Status.Ok ? actual : null;
                model.TryGetValue(p, out var acknowledged);
                bool matchesOld = Same(got, acknowledged);
                if (inFlight.TryGetValue(p, out var attempted))
                {
                    bool matchesNew = Same(got, attempted);
                    if (!matchesOld && !matchesNew)
                        throw new Xunit.Sdk.XunitException($"seed {seed}: {p} holds neither the acknowledged nor the attempted value");
                    if (matchesOld != matchesNew)
                    {
                        if (inFlightApplied is { } applied && applied != matchesNew)
                            throw new Xunit.Sdk.XunitException($"seed {seed}: the interrupted batch is partly applied");
                        inFlightApplied = matchesNew;
                    }
                }
                else if (!matchesOld)
                {
                    throw new Xunit.Sdk.XunitException($"seed {seed}: acknowledged value of {p} lost (got {(got is null ? "nothing" : got.Length + " bytes")}, expected {(acknowledged is null ? "nothing" : acknowledged.Length + " bytes")})");
                }
            }
            // The recovered database keeps working.
            Ok(db.Write(P("/after/crash"), [1, 2, 3], out _));
            Ok(db.Verify());
        }
    }

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
