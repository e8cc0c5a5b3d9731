using StreamDb.Pages;

namespace StreamDb.Tests.Unit;

public sealed class FreeSpaceTests
{
    [Fact]
    public void Allocation_grows_the_file_when_nothing_is_free()
    {
        var fs = new FreeSpace(1, 1000);
        var got = new List<Extent>();
        Assert.True(fs.TryAllocate(10, got));
        Assert.Equal([new Extent(1, 10)], got);
        Assert.Equal(11, fs.HighWater);
    }

    [Fact]
    public void Freed_neighbours_merge_into_one_extent_and_are_reused_first()
    {
        var fs = new FreeSpace(1, 1000);
        var got = new List<Extent>();
        fs.TryAllocate(30, got);
        fs.Free(new Extent(5, 5));
        fs.Free(new Extent(15, 5));
        fs.Free(new Extent(10, 5));
        Assert.Equal([new Extent(5, 15)], fs.Extents.ToList());
        Assert.Equal(15, fs.FreeCount);
        var again = new List<Extent>();
        Assert.True(fs.TryAllocate(15, again));
        Assert.Equal([new Extent(5, 15)], again);
        Assert.Equal(31, fs.HighWater);
    }

    [Fact]
    public void Allocation_from_free_pages_alone_takes_a_hole_that_fits_and_never_grows_the_file()
    {
        var fs = new FreeSpace(1, 1000);
        fs.TryAllocate(30, new List<Extent>());
        fs.Free(new Extent(5, 2));
        fs.Free(new Extent(20, 3));
        var got = new List<Extent>();
        Assert.False(fs.TryAllocateFree(4, got));   // the file could grow, but this never does
        Assert.Empty(got);
        Assert.Equal(31, fs.HighWater);
        Assert.True(fs.TryAllocateFree(3, got));
        Assert.Equal([new Extent(20, 3)], got);
        Assert.True(fs.TryAllocateFree(2, got));
        Assert.Equal(new Extent(5, 2), got[1]);
        Assert.Equal(0, fs.FreeCount);
        Assert.Equal(31, fs.HighWater);
    }

    [Fact]
    public void The_limit_is_enforced_and_a_refused_allocation_takes_nothing()
    {
        var fs = new FreeSpace(1, 20);
        var got = new List<Extent>();
        Assert.True(fs.TryAllocate(15, got));
        fs.Free(new Extent(3, 2));
        var more = new List<Extent>();
        Assert.False(fs.TryAllocate(8, more));
        Assert.Empty(more);
        Assert.Equal(2, fs.FreeCount);
        Assert.True(fs.TryAllocate(6, more)); // fragments plus the growth the limit allows
        Assert.Equal(6, more.Sum(e => e.Count));
        Assert.Equal(20, fs.HighWater);
    }

    [Fact]
    public void A_reserve_keeps_the_last_pages_for_the_index()
    {
        var fs = new FreeSpace(1, 20);
        Assert.False(fs.TryAllocateNear(0, 19, new List<Extent>(), reserve: 2));
        Assert.True(fs.TryAllocateNear(0, 17, new List<Extent>(), reserve: 2));
        Assert.True(fs.TryAllocateNear(0, 2, new List<Extent>(), reserve: 0));
    }

    [Fact]
    public void Allocation_near_a_chain_end_continues_it_contiguously()
    {
        var fs = new FreeSpace(1, 1000);
        fs.TryAllocate(10, new List<Extent>());
        var got = new List<Extent>();
        Assert.True(fs.TryAllocateNear(11, 4, got));
        Assert.Equal([new Extent(11, 4)], got);
    }

    [Fact]
    public void Trimming_the_tail_lowers_the_high_water_mark()
    {
        var fs = new FreeSpace(1, 1000);
        fs.TryAllocate(10, new List<Extent>());
        fs.Free(new Extent(6, 5));
        Assert.Equal(5, fs.TrimTail());
        Assert.Equal(6, fs.HighWater);
        Assert.Equal(0, fs.FreeCount);
    }

    [Fact]
    public void Random_allocate_and_free_never_hands_out_a_page_twice()
    {
        int seed = 4242;
        var rnd = new Random(seed);
        var fs = new FreeSpace(1, 5000);
        var owned = new List<Extent>();
        var inUse = new HashSet<long>();
        for (int i = 0; i < 5000; i++)
        {
            if (owned.Count > 0 && rnd.Next(2) == 0)
            {
                int k = rnd.Next(owned.Count);
                var e = owned[k];
                owned.RemoveAt(k);
                for (long p = e.Start; p < e.End; p++) Assert.True(inUse.Remove(p));
                fs.Free(e);
            }
            else
            {
                var got = new List<Extent>();
                if (!fs.TryAllocate(rnd.Next(1, 40), got)) continue;
                foreach (var e in got)
                {
                    for (long p = e.Start; p < e.End; p++) Assert.True(inUse.Add(p), $"seed {seed}: page {p} handed out twice");
                    owned.Add(e);
                }
            }
            Assert.Equal(fs.HighWater - 1 - inUse.Count, fs.FreeCount);
        }
    }

    [Fact]
    public void Many_small_holes_at_the_front_do_not_make_a_larger_allocation_grow_the_file()
    {
        // Regression: first fit gives up after 64 extents; every two-page allocation then grew
        // the file although a fitting hole lay further on (one-page journal holes pile up in front).
        var fs = new FreeSpace(1, 10_000);
        fs.TryAllocate(1000, new List<Extent>());
        for (long p = 1; p < 400; p += 2) fs.Free(new Extent(p, 1));   // 200 one-page holes
        fs.Free(new Extent(700, 5));
        fs.Free(new Extent(600, 3));
        var got = new List<Extent>();
        Assert.True(fs.TryAllocate(3, got));
        Assert.Equal([new Extent(600, 3)], got); // the smallest hole that fits
        got.Clear();
        Assert.True(fs.TryAllocate(2, got));
        Assert.Equal([new Extent(700, 2)], got);
        Assert.Equal(1001, fs.HighWater);
        Assert.Equal(200 + 3, fs.FreeCount);
    }

    [Fact]
    public void A_given_page_is_allocated_only_when_free_or_at_the_end()
    {
        var fs = new FreeSpace(1, 12);
        fs.TryAllocate(10, new List<Extent>());
        fs.Free(new Extent(4, 3));
        Assert.False(fs.TryAllocatePage(3));   // in use
        Assert.False(fs.TryAllocatePage(5));   // free, but inside an extent: not the next page of a chain ending at 4
        Assert.True(fs.TryAllocatePage(4));
        Assert.Equal([new Extent(5, 2)], fs.Extents.ToList());
        Assert.True(fs.TryAllocatePage(11));   // the high-water mark
        Assert.Equal(12, fs.HighWater);
        Assert.False(fs.TryAllocatePage(12));  // the limit
        Assert.Equal(12, fs.HighWater);
    }
}
