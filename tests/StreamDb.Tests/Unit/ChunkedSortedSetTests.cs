using StreamDb.Util;

namespace StreamDb.Tests.Unit;

public sealed class ChunkedSortedSetTests
{
    [Theory]
    [InlineData(20261121, 300)]     // few keys: one or two chunks
    [InlineData(777, 5000)]         // many chunks, splits and merges
    public void Random_adds_and_removes_behave_like_SortedSet(int seed, int range)
    {
        var rnd = new Random(seed);
        var set = new ChunkedSortedSet<long>();
        var model = new SortedSet<long>();
        for (int step = 0; step < 40_000; step++)
        {
            long k = rnd.Next(range);
            // Phases that mostly add and mostly remove, so the set grows large and empties again.
            bool add = rnd.Next(100) < ((step / 5000) % 2 == 0 ? 70 : 30);
            if (add) Assert.True(model.Add(k) == set.Add(k), $"seed {seed} step {step}: Add({k})");
            else Assert.True(model.Remove(k) == set.Remove(k), $"seed {seed} step {step}: Remove({k})");
            Assert.Equal(model.Count, set.Count);
            long probe = rnd.Next(range + 10) - 5;
            bool hasCeiling = set.TryGetCeiling(probe, out long ceiling);
            var view = model.GetViewBetween(probe, long.MaxValue);
            Assert.True(view.Count > 0 == hasCeiling, $"seed {seed} step {step}: ceiling of {probe}");
            if (hasCeiling) Assert.Equal(view.Min, ceiling);
            if (model.Count > 0)
            {
                Assert.Equal(model.Min, set.Min);
                Assert.Equal(model.Max, set.Max);
            }
            if (step % 1000 == 0) Assert.Equal(model.ToList(), set.ToList());
        }
        Assert.Equal(model.ToList(), set.ToList());
    }

    [Fact]
    public void Keys_added_in_order_enumerate_in_order_across_chunks()
    {
        var set = new ChunkedSortedSet<long>();
        for (long k = 0; k < 1000; k++) Assert.True(set.Add(k));
        Assert.False(set.Add(500));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), set.ToList());
        Assert.True(set.TryGetCeiling(999, out long last) && last == 999);
        Assert.False(set.TryGetCeiling(1000, out _));
    }

    [Fact]
    public void An_empty_set_has_no_ceiling_and_no_min()
    {
        var set = new ChunkedSortedSet<long>();
        Assert.False(set.TryGetCeiling(0, out _));
        Assert.False(set.Remove(3));
        Assert.Throws<InvalidOperationException>(() => set.Min);
        Assert.Throws<InvalidOperationException>(() => set.Max);
        Assert.Empty(set);
    }
}
