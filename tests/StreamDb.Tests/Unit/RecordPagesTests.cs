using StreamDb.Index;
using StreamDb.Tests.Support;

namespace StreamDb.Tests.Unit;

/// <summary>A checkpoint's records read page by page as they are first asked for.</summary>
public sealed class RecordPagesTests
{
    private static byte[] Records(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Fact]
    public void A_range_reads_only_the_pages_it_spans_and_a_second_ask_reads_nothing()
    {
        var records = Records(10 * 1000 + 123, 1);
        var source = new FakeRecordPageSource(records, 1000);
        var pages = new RecordPages(records.Length, source);
        Assert.Equal(0, source.PagesRead);
        Assert.False(pages.Complete);

        pages.Ensure(2500, 1000); // pages 2 and 3
        Assert.Equal([(2, 2)], source.Reads);
        Assert.Equal(records.AsSpan(2500, 1000).ToArray(), pages.Bytes.AsSpan(2500, 1000).ToArray());
        pages.Ensure(2000, 2000);
        pages.Ensure(3999, 1);
        Assert.Equal(2, source.PagesRead);
        Assert.Equal(2, pages.PagesPresent);

        pages.Ensure(10_050, 73); // inside the short last page
        Assert.Equal((10, 1), source.Reads[^1]);
        Assert.Equal(records.AsSpan(10_000).ToArray(), pages.Bytes.AsSpan(10_000).ToArray());
        pages.Ensure(5000, 0); // nothing asked for, nothing read
        Assert.Equal(3, source.PagesRead);
    }

    [Fact]
    public void Reading_all_pages_reads_each_missing_page_once_in_runs_below_the_large_object_size()
    {
        var records = Records(200 * 1000 + 7, 2);
        var source = new FakeRecordPageSource(records, 1000);
        var pages = new RecordPages(records.Length, source);
        pages.Ensure(50_500, 10); // page 50 first
        pages.EnsureAll();
        Assert.True(pages.Complete);
        Assert.Equal(201, source.PagesRead);
        Assert.Equal(201, pages.PagesPresent);
        Assert.All(source.Reads, r => Assert.True(r.Count * 1000 <= 64 * 1024, $"a run of {r.Count} pages"));
        Assert.Equal(records, pages.Bytes);
        int reads = source.Reads.Count;
        pages.Ensure(0, records.Length);
        pages.EnsureAll();
        Assert.Equal(reads, source.Reads.Count);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(0, 10_001)]
    [InlineData(10_000, 1)]
    [InlineData(10_001, 0)]
    [InlineData(5000, int.MaxValue)]
    [InlineData(int.MaxValue, 2)]
    public void A_range_outside_the_records_is_damage_and_reads_nothing(int offset, int length)
    {
        var source = new FakeRecordPageSource(Records(10_000, 3), 1000);
        var pages = new RecordPages(10_000, source);
        Assert.Throws<CheckpointDamagedException>(() => pages.Ensure(offset, length));
        Assert.Empty(source.Reads);
        var whole = new RecordPages(new byte[10_000]); // all present: the same bounds
        Assert.Throws<CheckpointDamagedException>(() => whole.Ensure(offset, length));
    }

    [Fact]
    public void A_page_that_fails_its_check_stays_missing_and_is_read_again_when_asked_for_again()
    {
        var records = Records(5000, 4);
        var source = new FakeRecordPageSource(records, 1000) { Damaged = { 2 } };
        var pages = new RecordPages(records.Length, source);
        var e = Assert.Throws<CheckpointDamagedException>(() => pages.Ensure(1500, 1000));
        Assert.Contains("page #2", e.Message);
        Assert.Throws<CheckpointDamagedException>(() => pages.EnsureAll());
        Assert.False(pages.Complete);
        source.Damaged.Clear(); // (a read that failed on the way, say)
        pages.Ensure(2000, 1);
        pages.EnsureAll();
        Assert.True(pages.Complete);
        Assert.Equal(records, pages.Bytes);
    }

    [Fact]
    public void Threads_asking_for_overlapping_ranges_at_once_all_see_the_records_bytes()
    {
        int seed = Environment.TickCount;
        var records = Records(300 * 512 + 99, seed);
        for (int round = 0; round < 20; round++)
        {
            var source = new FakeRecordPageSource(records, 512);
            var pages = new RecordPages(records.Length, source);
            var failures = new List<string>();
            var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                var random = new Random(seed + round * 10 + t);
                for (int i = 0; i < 400; i++)
                {
                    int offset = random.Next(records.Length), length = random.Next(Math.Min(3000, records.Length - offset) + 1);
                    pages.Ensure(offset, length);
                    if (!pages.Bytes.AsSpan(offset, length).SequenceEqual(records.AsSpan(offset, length)))
                        lock (failures) failures.Add($"seed {seed} round {round}: bytes {offset}+{length}");
                }
                if (t == 0) pages.EnsureAll();
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Empty(failures);
            Assert.True(pages.Complete, $"seed {seed}");
            Assert.Equal(records, pages.Bytes);
        }
    }
}
