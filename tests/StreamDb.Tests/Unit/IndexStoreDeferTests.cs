using StreamDb.Commit;
using StreamDb.Pages;
using StreamDb.Storage;

namespace StreamDb.Tests.Unit;

/// <summary>Deferred journal records (relaxed durability) take their pages as they arrive, so
/// that writing them at the sync point cannot run out of space.</summary>
public sealed class IndexStoreDeferTests
{
    [Fact]
    public void Records_are_deferred_only_while_their_pages_can_be_reserved_and_the_append_then_allocates_nothing()
    {
        var store = new IndexStore(new PageIO(new MemoryDevice(), 8192, 0), shortJournalCrc: true);
        long nextPage = 10;
        int budget = 3, allocations = 0;
        Status Allocate(long count, List<Extent> into)
        {
            allocations++;
            if (count > budget) return Status.Full;
            budget -= (int)count;
            into.Add(new Extent(nextPage, count));
            nextPage += count;
            return Status.Ok;
        }
        ulong writeId = 100;
        var record = new byte[3000];
        int accepted = 0;
        Status s;
        while ((s = store.Defer(record, Allocate)) == Status.Ok && accepted < 100) accepted++;
        // three pages hold 3 x 8,144 record bytes: eight records of 3,000; the ninth is refused
        Assert.Equal(Status.Full, s);
        Assert.Equal(8, accepted);
        Assert.Equal(8 * 3000, store.DeferredBytes);
        Assert.Equal(3, store.ReservedPages);
        Assert.Equal(0, store.JournalBytes);
        int before = allocations;
        var freed = new List<Extent>();
        Assert.Equal(Status.Ok, store.WriteDeferred(() => ++writeId, freed));
        Assert.Equal(before, allocations);
        Assert.Equal(0, store.DeferredBytes);
        Assert.Equal(0, store.ReservedPages);
        Assert.Equal(8 * 3000, store.JournalBytes);
        Assert.Equal([10L, 11L, 12L], store.JournalPageIds);
    }
}
