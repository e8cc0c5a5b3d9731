using StreamDb.Pages;

namespace StreamDb.Tests.Unit;

public sealed class PageCacheTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)] // a document's data pages alternating with journal pages
    [InlineData(3)]
    [InlineData(16)]
    public void Pages_at_any_regular_stride_spread_over_the_whole_cache_not_a_few_shards(int stride)
    {
        const int Capacity = 256, Pages = 240;
        var cache = new PageCache(Capacity, 4096);
        var page = new byte[4096];
        for (int i = 0; i < Pages; i++) cache.Insert(1000 + (long)i * stride, page, crcChecked: true);
        Span<byte> header = stackalloc byte[PageHeader.Size];
        int kept = 0;
        for (int i = 0; i < Pages; i++)
            if (cache.TryRead(1000 + (long)i * stride, header, 0, new byte[16], needChecked: true)) kept++;
        // id % shards kept 128 of them at stride 2 and 16 at stride 16; an LRU per shard never
        // spreads perfectly, so the bar is 90%
        Assert.True(kept >= Pages * 9 / 10, $"stride {stride}: {kept} of {Pages} pages kept in a cache of {Capacity}");
    }
}
