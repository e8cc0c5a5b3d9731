// StreamDb engine benchmark: ./build.sh bench (or dotnet run -c Release --project bench/StreamDb.Bench [-- --quick]).
// Prints one line per measurement. Durable writes use the default durability (one fdatasync per commit).
using System.Diagnostics;
using System.Text;
using StreamDb;

bool quick = args.Contains("--quick");
string dir = Path.Combine(Path.GetTempPath(), "streamdb-bench-" + Environment.ProcessId);
Directory.CreateDirectory(dir);
try
{
    Console.WriteLine($"StreamDb engine benchmark ({(quick ? "quick" : "full")}), {Environment.ProcessorCount} cores, {dir}");
    if (args.Contains("--commitcost"))
    {
        // bench/compare's workload 1 and 5 shape: overwrites of 8-12 KB documents, one commit each.
        // a fixed number of commits, so that file sizes compare
        CommitCost(0, quick ? 4000 : 20000);
        CommitCost(10, quick ? 40000 : 200000);
        return;
    }
    if (args.Contains("--lookups"))
    {
        Lookups(100_000);
        return;
    }
    if (!args.Contains("--writecost"))
    {
        foreach (var (size, count) in new[] { (1024, quick ? 2000 : 10000), (64 * 1024, quick ? 300 : 2000), (1 << 20, quick ? 30 : 200) })
            Throughput(size, count);
        Lookups(quick ? 10_000 : 100_000);
        Streaming(4, print: false); // JIT warm-up
        Streaming(quick ? 16 : 64);
    }
    WriteCostVersusIndexSize(quick ? 10_000 : 100_000);
}
finally
{
    Directory.Delete(dir, true);
}

string NewFile() => Path.Combine(dir, Guid.NewGuid().ToString("N") + ".sdb");

byte[] P(string s) => Encoding.UTF8.GetBytes(s);

void Throughput(int size, int count)
{
    var data = new byte[size];
    new Random(size).NextBytes(data);
    string file = NewFile();
    using (var db = Database.Open(file))
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < count; i++) db.Write(P($"/t/{i}"), data, out _).ThrowIfError();
        double s = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"write {Size(size),7} durable, one commit each : {count / s,10:F0} docs/s {count * (double)size / s / 1e6,9:F1} MB/s");
        db.BeginBatch(out var batch).ThrowIfError();
        sw.Restart();
        for (int i = 0; i < count; i++) batch!.Write(P($"/b/{i}"), data).ThrowIfError();
        batch!.Commit().ThrowIfError();
        s = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"write {Size(size),7} in one batch            : {count / s,10:F0} docs/s {count * (double)size / s / 1e6,9:F1} MB/s");
    }
    using (var db = Database.Open(file))
    {
        // The open's index is young and the first collections promote it; that belongs to the
        // open (measured in Lookups), not to the reads timed here.
        GC.Collect();
        foreach (bool q in new[] { false, true })
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < count; i++) db.Read(P($"/t/{i}"), out _, quick: q).ThrowIfError();
            double s = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"read  {Size(size),7} whole{(q ? ", quick mode" : "            ")}      : {count / s,10:F0} docs/s {count * (double)size / s / 1e6,9:F1} MB/s");
        }
        db.GetStats(out var st);
        Console.WriteLine($"      cache hits {st.CacheHits}, misses {st.CacheMisses}");
    }
}

void Streaming(int mebibytes, bool print = true)
{
    var data = new byte[mebibytes << 20];
    new Random(3).NextBytes(data);
    string file = NewFile();
    using (var db = Database.Open(file)) db.Write(P("/big"), data, out _).ThrowIfError();
    foreach (bool q in new[] { false, true })
    {
        using var db = Database.Open(file); // cold cache (the OS page cache is warm)
        long reads0 = ReadSyscalls();
        var sw = Stopwatch.StartNew();
        db.OpenReader(P("/big"), out var r, quick: q).ThrowIfError();
        double first = 0;
        long total = 0;
        using (r)
            while (r!.Next(out var chunk) == Status.Ok)
            {
                if (total == 0) first = sw.Elapsed.TotalMilliseconds * 1000;
                total += chunk.Length;
            }
        double s = sw.Elapsed.TotalSeconds;
        long reads = ReadSyscalls() - reads0;
        if (print) Console.WriteLine($"stream {mebibytes} MiB in 64 KiB chunks{(q ? ", quick" : "       ")}  : {total / s / 1e6,9:F1} MB/s, first chunk {first,6:F0} us, {reads} read calls ({reads / (double)mebibytes:F1} per MiB; read-ahead window)");
    }
}

// read system calls of this process so far (Linux /proc/self/io "syscr"; -1 elsewhere)
static long ReadSyscalls()
{
    try
    {
        foreach (var line in File.ReadLines("/proc/self/io"))
            if (line.StartsWith("syscr:")) return long.Parse(line[6..].Trim());
    }
    catch (IOException) { }
    return -1;
}

void Lookups(int paths)
{
    string file = NewFile();
    using (var load = Database.Open(file, new DatabaseOptions { NoSync = true }))
    {
        load.BeginBatch(out var batch).ThrowIfError();
        for (int i = 0; i < paths; i++) batch!.Write(P($"/l/{i / 1000:D3}/{i % 1000:D3}"), BitConverter.GetBytes(i)).ThrowIfError();
        batch!.Commit().ThrowIfError();
        load.Compact().ThrowIfError(); // writes the index as one checkpoint
    }
    for (int warm = 0; warm < 2; warm++) Database.Open(file, new DatabaseOptions { NoSync = true, ReadOnly = true }).Dispose(); // JIT warm-up
    long heapBefore = GC.GetTotalMemory(true);
    var opening = Stopwatch.StartNew();
    using var db = Database.Open(file, new DatabaseOptions { NoSync = true });
    Console.WriteLine($"open of a database with {paths} paths       : {opening.Elapsed.TotalMilliseconds,8:F1} ms");
    // The index the open built is young: the first collections after it promote (copy) it, a
    // cost the open leaves to whatever runs next. Timed here as one full collection.
    var promoting = Stopwatch.StartNew();
    GC.Collect();
    Console.WriteLine($"first full collection after the open      : {promoting.Elapsed.TotalMilliseconds,8:F1} ms (promotes the index)");
    // what the open keeps alive (the in-memory index), after a full collection: deterministic, unlike RSS
    Console.WriteLine($"managed heap held by the open database   : {(GC.GetTotalMemory(true) - heapBefore) / 1e6,8:F1} MB ({(GC.GetTotalMemory(false) - heapBefore) / (double)paths,5:F0} B per path)");
    var rnd = new Random(1);
    int n = 200_000;
    var keys = Enumerable.Range(0, 1000).Select(_ => P($"/l/{rnd.Next(paths / 1000):D3}/{rnd.Next(1000):D3}")).ToArray();
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < n; i++) db.GetId(keys[i % keys.Length], out _).ThrowIfError();
    Console.WriteLine($"lookup (path -> id) among {paths} paths     : {sw.Elapsed.TotalMilliseconds * 1000 / n,8:F2} us");
    var buffer = new byte[16];
    sw.Restart();
    for (int i = 0; i < n; i++) db.ReadInto(keys[i % keys.Length], 0, buffer, out _).ThrowIfError();
    Console.WriteLine($"lookup + read 4 bytes (cached)           : {sw.Elapsed.TotalMilliseconds * 1000 / n,8:F2} us");
    int reps = 200;
    sw.Restart();
    int found = 0;
    for (int r = 0; r < reps; r++)
    {
        db.Search(P($"/l/{r % (paths / 1000):D3}/"), out var c).ThrowIfError();
        while (c!.Next(out _) == Status.Ok) found++;
    }
    Console.WriteLine($"prefix search of 1,000 among {paths} paths  : {sw.Elapsed.TotalMilliseconds * 1000 / reps,8:F1} us ({found / reps} found)");
}

void CommitCost(int flushMs, int commits)
{
    string file = NewFile();
    const int docs = 2000;
    var rnd = new Random(1);
    var pool = new byte[12000 + docs];
    rnd.NextBytes(pool);
    using (var load = Database.Open(file))
    {
        load.BeginBatch(out var batch).ThrowIfError();
        for (int i = 0; i < docs; i++) batch!.Write(P($"/{i:D5}"), pool.AsSpan(i, 8000 + i * 4000 / docs)).ThrowIfError();
        batch!.Commit().ThrowIfError();
    }
    var db = Database.Open(file, new DatabaseOptions { FlushIntervalMs = flushMs });
    var paths = Enumerable.Range(0, docs).Select(i => P($"/{i:D5}")).ToArray();
    for (int i = 0; i < 200; i++) db.Write(paths[rnd.Next(docs)], pool.AsSpan(rnd.Next(docs), 8000 + rnd.Next(4000)), out _).ThrowIfError(); // warm-up
    int n = 0;
    var sw = Stopwatch.StartNew();
    for (; n < commits; n++)
        db.Write(paths[rnd.Next(docs)], pool.AsSpan(rnd.Next(docs), 8000 + rnd.Next(4000)), out _).ThrowIfError();
    double s = sw.Elapsed.TotalSeconds;
    string mode = flushMs > 0 ? $"flush_interval_ms={flushMs}" : "durable";
    db.Dispose();
    Console.WriteLine($"overwrite 8-12 KB, one commit each, {mode,-20}: {n / s,10:F0} commits/s; {n} commits, file {new FileInfo(file).Length / 1e6:F1} MB for {docs} docs");
}

void WriteCostVersusIndexSize(int large)
{
    foreach (int existing in new[] { 100, large })
    {
        string file = NewFile();
        using var db = Database.Open(file);
        db.BeginBatch(out var batch).ThrowIfError();
        for (int i = 0; i < existing; i++) batch!.Write(P($"/e/{i}"), BitConverter.GetBytes(i)).ThrowIfError();
        batch!.Commit().ThrowIfError();
        db.Flush().ThrowIfError();
        var data = new byte[100];
        int n = 2000;
        var each = new double[n];
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            db.Write(P($"/new/{i}"), data, out _).ThrowIfError();
            each[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds * 1000;
        }
        double mean = sw.Elapsed.TotalMilliseconds * 1000 / n;
        Array.Sort(each);
        Console.WriteLine($"durable write of 100 B with {existing,6} paths  : mean {mean,8:F1} us, median {each[n / 2],8:F1} us, p99 {each[n * 99 / 100],8:F1} us, max {each[^1] / 1000,7:F1} ms");
    }
}

static string Size(int n) => n >= 1 << 20 ? $"{n >> 20} MiB" : n >= 1024 ? $"{n >> 10} KiB" : $"{n} B";
