using StreamDb.Engine;
using StreamDb.Util;

namespace StreamDb.Tests.Unit;

/// <summary>The open's page bookkeeping: per pack page a count of the tails in it, and a bit per
/// page in use.</summary>
public sealed class PackCountsTests
{
    [Fact]
    public void Counts_of_pages_far_apart_are_kept_apart_and_a_count_back_at_zero_leaves_the_page()
    {
        var counts = new PackCounts();
        long[] pages = [1, 4095, 4096, 4097, 1L << 20, (1L << 32) + 5];
        foreach (long p in pages) Assert.Equal(0, counts.Increment(p));
        foreach (long p in pages) Assert.Equal(1, counts.Increment(p));
        Assert.Equal(pages.Length, counts.Count);
        foreach (long p in pages) Assert.Equal(2, counts.Get(p));
        Assert.Equal(0, counts.Get(4094));
        Assert.Equal(0, counts.Get(1L << 40));
        Assert.Equal(1, counts.Add(4096, -1));
        Assert.Equal(0, counts.Add(4096, -1));
        Assert.Equal(pages.Length - 1, counts.Count);
        Assert.Equal(0, counts.Get(4096));
        Assert.Equal(2, counts.Get(4097));
        Assert.Equal(5, counts.Add(4096, 5));
        Assert.Equal(pages.Length, counts.Count);
    }

    [Fact]
    public void A_zero_change_to_a_page_never_counted_is_zero_and_a_count_below_zero_or_past_the_maximum_throws()
    {
        var counts = new PackCounts();
        Assert.Equal(0, counts.Add(1L << 30, 0));
        Assert.Throws<InvalidOperationException>(() => counts.Add(1L << 30, -1));
        Assert.Throws<InvalidOperationException>(() => counts.Add(7, -1));
        counts.Add(7, PackCounts.Max);
        Assert.Throws<InvalidOperationException>(() => counts.Increment(7));
        Assert.Equal(PackCounts.Max, counts.Get(7));
        Assert.Equal(1, counts.Count);
    }

    [Fact]
    public void A_page_bitmap_sets_each_page_once_and_clears_it_without_touching_its_neighbours()
    {
        var used = new PageBitmap(200);
        foreach (long p in new long[] { 0, 63, 64, 65, 127, 199 }) Assert.True(used.TrySet(p));
        Assert.False(used.TrySet(64));
        Assert.True(used[63] && used[64] && used[65] && !used[62] && !used[66] && !used[128]);
        used.Clear(64);
        Assert.True(used[63] && !used[64] && used[65]);
        Assert.True(used.TrySet(64));
    }
}
