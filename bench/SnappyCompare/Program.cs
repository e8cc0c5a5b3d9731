using System.Diagnostics;
using System.Globalization;
using SnappyCompare;
using StreamDb.Compression;

// Usage: dotnet run -c Release --project bench/SnappyCompare -- [--seconds S] [--rounds N] [--only TEXT] [FILE...]
// Compresses and decompresses each input with the in-house codec and with libsnappy, in
// alternating rounds, and reports the best round of each (the machine is shared, so the best
// round is the least disturbed one). MB/s counts uncompressed bytes (1 MB = 10^6 bytes).
double secondsPerRound = 0.25;
int rounds = 7;
string? only = null;
var files = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds": secondsPerRound = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--only": only = args[++i]; break;
        default: files.Add(args[i]); break;
    }
}

var inputs = new List<(string Name, byte[] Data)>
{
    ("text 1 MiB", Inputs.Text(1 << 20, 1)),
    ("text 64 KiB", Inputs.Text(1 << 16, 2)),
    ("json 1 MiB", Inputs.Json(1 << 20, 3)),
    ("json 4 KiB", Inputs.Json(4096, 4)),
    ("random 1 MiB", Inputs.Random(1 << 20, 5)),
};
foreach (string file in files)
    inputs.Add(($"{Path.GetFileName(file)} ({new FileInfo(file).Length / 1024} KiB)", File.ReadAllBytes(file)));

Console.WriteLine($"Snappy: StreamDb.Compression vs libsnappy (snappy-c), best of {rounds} rounds x {secondsPerRound} s, .NET {Environment.Version}, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("| input | ratio ours | ratio lib | compress ours MB/s | compress lib MB/s | ours/lib | decompress ours MB/s | decompress lib MB/s | ours/lib |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");

foreach (var (name, data) in inputs)
{
    if (only is not null && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
        continue;
    var ourCompressed = new byte[Snappy.MaxCompressedLength(data.Length)];
    var libCompressed = new byte[(int)NativeSnappy.MaxCompressedLength((nuint)data.Length)];
    var output = new byte[data.Length];
    int ourLength = Snappy.Compress(data, ourCompressed);
    int libLength = NativeSnappy.Compress(data, libCompressed);

    // Each side decodes its own output, and both outputs must round-trip through both codecs.
    Check(Snappy.Decompress(ourCompressed.AsSpan(0, ourLength), output, out _) == StreamDb.Status.Ok && output.AsSpan().SequenceEqual(data), name, "ours->ours");
    Check(NativeSnappy.Uncompress(ourCompressed.AsSpan(0, ourLength), output) == data.Length && output.AsSpan().SequenceEqual(data), name, "ours->lib");
    Check(Snappy.Decompress(libCompressed.AsSpan(0, libLength), output, out _) == StreamDb.Status.Ok && output.AsSpan().SequenceEqual(data), name, "lib->ours");

    double ourCompress = 0, libCompress = 0, ourDecompress = 0, libDecompress = 0;
    for (int round = 0; round < rounds; round++)
    {
        ourCompress = Math.Max(ourCompress, Rate(data.Length, secondsPerRound, () => Snappy.Compress(data, ourCompressed)));
        libCompress = Math.Max(libCompress, Rate(data.Length, secondsPerRound, () => NativeSnappy.Compress(data, libCompressed)));
        // Both decoders read the same stream (libsnappy's), so the comparison is of decoders only.
        ourDecompress = Math.Max(ourDecompress, Rate(data.Length, secondsPerRound, () => (int)Snappy.Decompress(libCompressed.AsSpan(0, libLength), output, out _)));
        libDecompress = Math.Max(libDecompress, Rate(data.Length, secondsPerRound, () => NativeSnappy.Uncompress(libCompressed.AsSpan(0, libLength), output)));
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {(double)ourLength / data.Length:P1} | {(double)libLength / data.Length:P1} | {ourCompress:F0} | {libCompress:F0} | {ourCompress / libCompress:F2} | {ourDecompress:F0} | {libDecompress:F0} | {ourDecompress / libDecompress:F2} |"));
}
return 0;

static void Check(bool ok, string name, string what)
{
    if (!ok)
        throw new InvalidOperationException($"{name}: {what} round trip failed");
}

// Runs the operation for about `seconds` and returns uncompressed MB/s.
static double Rate(int bytes, double seconds, Func<int> operation)
{
    operation(); // warm
    long iterations = 0;
    var clock = Stopwatch.StartNew();
    long budget = (long)(seconds * Stopwatch.Frequency);
    do
    {
        for (int i = 0; i < 8; i++)
            operation();
        iterations += 8;
    } while (clock.ElapsedTicks < budget);
    return iterations * (double)bytes / clock.Elapsed.TotalSeconds / 1e6;
}
