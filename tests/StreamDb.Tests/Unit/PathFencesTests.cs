using System.Text;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Tests.Support;
using StreamDb.Util;
using Xunit.Abstractions;

namespace StreamDb.Tests.Unit;

/// <summary>
/// A checkpoint searched often copies every 32nd path into fences that narrow each lookup
/// (PathFences). A lookup must find exactly what the plain binary search finds, whatever the
/// paths look like, and building the fences must never be a lookup's failure.
/// </summary>
public sealed class PathFencesTests(ITestOutputHelper output)
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    // Sorted, distinct paths of several shapes: short, sharing a long prefix (so that fences
    // compare equal for many bytes), multi-byte UTF-8, and one that is a prefix of the next.
    private static List<byte[]> Paths(int count, Random rng)
    {
        var set = new HashSet<string>();
        while (set.Count < count)
        {
            set.Add(rng.Next(5) switch
            {
                0 => $"/{rng.Next(100):D2}/{rng.Next(100):D2}",
                1 => $"/a/very/long/shared/prefix/that/many/paths/have/{rng.Next(100_000)}",
                2 => $"/ünï/çødé/{rng.Next(1000)}/ж",
                3 => $"/x{new string('y', rng.Next(40))}",
                _ => $"/{rng.Next(10)}",
            });
        }
        var paths = set.Select(B).ToList();
        paths.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        return paths;
    }

    private static int PlainLowerBound(List<byte[]> paths, ReadOnlySpan<byte> key)
    {
        int lo = 0, hi = paths.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (paths[mid].AsSpan().SequenceCompareTo(key) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    // Every path, a key just before and just after each, and random keys.
    private static IEnumerable<byte[]> Keys(List<byte[]> paths, Random rng)
    {
        yield return [];
        yield return [0xFF, 0xFF];
        foreach (var p in paths)
        {
            yield return p;
            yield return [.. p, 0];
            if (p.Length > 0) yield return p[..^1];
            var less = p.ToArray();
            less[^1]--;
            yield return less;
        }
        for (int i = 0; i < 200; i++)
        {
            var k = new byte[rng.Next(12)];
            rng.NextBytes(k);
            yield return k;
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(31, 3)]
    [InlineData(32, 4)]
    [InlineData(33, 5)]
    [InlineData(64, 6)]
    [InlineData(1000, 7)]
    [InlineData(1025, 8)]
    public void Fences_narrow_every_key_to_a_range_holding_the_first_path_not_below_it(int count, int seed)
    {
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var paths = Paths(count, rng);
        var fences = PathFences.Build(paths.Count, j => paths[j]);
        foreach (var key in Keys(paths, rng))
        {
            int want = PlainLowerBound(paths, key);
            var (lo, hi) = fences.Narrow(key);
            string what = $"seed {seed}: key {Convert.ToHexString(key)} (first path not below it: #{want} of {paths.Count}) narrowed to [{lo}, {hi}]";
            Assert.True(lo <= want && want <= hi, what);
            Assert.True(hi - lo <= PathFences.Spacing, what);
            // what the lookup does next: a binary search over [lo, hi) that takes hi when every probe is below
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (paths[mid].AsSpan().SequenceCompareTo(key) < 0) lo = mid + 1;
                else hi = mid;
            }
            Assert.True(want == lo, what);
        }
        Assert.Equal(paths.Where((_, j) => j % PathFences.Spacing == 0).Sum(p => p.Length + sizeof(int)), fences.Bytes);
    }

    // A checkpoint of `count` paths (one document each), its records read as they are asked
    // for, in pages of 1000 bytes.
    private static (CheckpointBase Checkpoint, DbState State, FakeRecordPageSource Source, List<byte[]> Paths, int LastPage) Checkpointed(int count, int seed)
    {
        var rng = new Random(seed);
        var paths = Paths(count, rng);
        var ed = new StateEditor(DbState.Empty, 1, null);
        for (int j = 0; j < paths.Count; j++)
        {
            var id = Guid.NewGuid();
            ed.AddVersion(id, new DocVersion(1, 10, 10, (ulong)j + 1, 1, 0, [new Extent(j + 1, 1)]));
            ed.Bind(id, paths[j]);
        }
        var w = new RecordWriter();
        StateEditor.Serialize(ed.Build(), w);
        var records = w.Written.ToArray();
        var source = new FakeRecordPageSource(records, 1000);
        var state = StateEditor.LoadCheckpoint(new RecordPages(records.Length, source), 1, PathRules.MaxBytes);
        return (state.Docs.Checkpoint!, state, source, paths, (records.Length - 1) / 1000);
    }

    private static void LookUpAll(CheckpointBase checkpoint, List<byte[]> paths, string where)
    {
        for (int j = 0; j < paths.Count; j++)
        {
            Assert.True(j == checkpoint.FindPath(paths[j]), $"{where}: path #{j}");
            Assert.True(checkpoint.FindPath([.. paths[j], 0]) == -1, $"{where}: a path after #{j}");
            Assert.True(j + 1 == checkpoint.LowerBound([.. paths[j], 0]), $"{where}: the first path after #{j}");
        }
        Assert.Equal(0, checkpoint.LowerBound([]));
        Assert.Equal(paths.Count, checkpoint.LowerBound([0xFF]));
    }

    [Fact]
    public void A_checkpoint_searched_often_builds_its_fences_and_finds_exactly_what_it_found_before()
    {
        var (checkpoint, state, _, paths, _) = Checkpointed(3000, 11);
        for (int i = 0; i < CheckpointBase.LookupsBeforeFences - 1; i++) checkpoint.FindPath(paths[i]);
        Assert.False(checkpoint.HasFences);
        LookUpAll(checkpoint, paths, "without fences");
        Assert.True(checkpoint.HasFences);
        LookUpAll(checkpoint, paths, "with fences");
        // the calls above the checkpoint: a read's lookup and a cursor
        Assert.True(state.Paths.TryGetValue(paths[1234], out _));
        var from = state.Paths.From(paths[2990]);
        int walked = 0;
        while (from.MoveNext(out var p)) Assert.Equal(paths[2990 + walked++], p.ToArray());
        Assert.Equal(10, walked);
    }

    [Fact]
    public void Threads_looking_up_while_one_of_them_builds_the_fences_all_find_the_right_paths()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        for (int round = 0; round < 10; round++)
        {
            var (checkpoint, _, _, paths, _) = Checkpointed(3000, seed + round);
            var failures = new List<string>();
            var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                var rng = new Random(seed + round * 10 + t);
                for (int i = 0; i < 2 * CheckpointBase.LookupsBeforeFences; i++)
                {
                    int j = rng.Next(paths.Count);
                    int found = checkpoint.FindPath(paths[j]), after = checkpoint.LowerBound([.. paths[j], 0]);
                    if (found != j || after != j + 1)
                        lock (failures) failures.Add($"seed {seed} round {round}: path #{j} found at {found}, the next at {after}");
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Empty(failures);
            Assert.True(checkpoint.HasFences);
        }
    }

    [Fact]
    public void Building_the_fences_reads_the_pages_they_need_in_long_runs_not_a_page_at_a_time()
    {
        var (checkpoint, _, source, paths, _) = Checkpointed(3000, 15);
        for (int i = 0; i < CheckpointBase.LookupsBeforeFences - 1; i++) checkpoint.FindPath(paths[0]);
        int readsBefore = source.Reads.Count, pagesBefore = source.PagesRead;
        checkpoint.FindPath(paths[0]);
        Assert.True(checkpoint.HasFences);
        int reads = source.Reads.Count - readsBefore, pages = source.PagesRead - pagesBefore;
        Assert.True(pages > 50, $"the build read {pages} pages");
        Assert.True(reads * 10 < pages, $"the build read {pages} pages in {reads} requests");
    }

    [Fact]
    public void A_checkpoint_with_few_paths_never_builds_fences()
    {
        var (checkpoint, _, _, paths, _) = Checkpointed(CheckpointBase.FencesFrom - 1, 12);
        for (int i = 0; i < 2 * CheckpointBase.LookupsBeforeFences; i++) checkpoint.FindPath(paths[i % paths.Count]);
        Assert.False(checkpoint.HasFences);
    }

    // Lookups of the first paths only: their binary searches never reach the last page, which
    // holds the last paths (the bindings come last, in path order), and building fences does.
    private static void LookUpFirstPaths(CheckpointBase checkpoint, List<byte[]> paths, int times)
    {
        for (int i = 0; i < times; i++) Assert.Equal(i % 100, checkpoint.FindPath(paths[i % 100]));
    }

    private static int ReadsOf(FakeRecordPageSource source, int page) =>
        source.Reads.Count(r => r.First <= page && page < r.First + r.Count);

    [Fact]
    public void A_device_error_while_building_the_fences_is_no_lookups_error_and_they_are_built_after_as_many_lookups_again()
    {
        var (checkpoint, _, source, paths, lastPage) = Checkpointed(3000, 13);
        source.Failing.Add(lastPage);
        LookUpFirstPaths(checkpoint, paths, CheckpointBase.LookupsBeforeFences);
        Assert.False(checkpoint.HasFences);
        Assert.Equal(1, ReadsOf(source, lastPage)); // the build tried, and failed
        LookUpFirstPaths(checkpoint, paths, CheckpointBase.LookupsBeforeFences - 1);
        Assert.Equal(1, ReadsOf(source, lastPage)); // not tried again at every lookup
        source.Failing.Clear(); // (the device is back)
        LookUpFirstPaths(checkpoint, paths, 1);
        Assert.True(checkpoint.HasFences);
        LookUpAll(checkpoint, paths, "fences built on the second try");
    }

    [Fact]
    public void Damage_found_while_building_the_fences_leaves_the_lookups_without_them_and_each_lookup_reports_what_it_reaches()
    {
        var (checkpoint, _, source, paths, lastPage) = Checkpointed(3000, 14);
        source.Damaged.Add(lastPage);
        LookUpFirstPaths(checkpoint, paths, 3 * CheckpointBase.LookupsBeforeFences);
        Assert.False(checkpoint.HasFences);
        Assert.Equal(1, ReadsOf(source, lastPage)); // tried once, never again
        Assert.Throws<CheckpointDamagedException>(() => checkpoint.FindPath(paths[^1]));
    }
}
