namespace StreamDb.Pages;

/// <summary>A run of consecutive pages: ids Start .. Start+Count-1.</summary>
internal readonly record struct Extent(long Start, long Count)
{
    public long End => Start + Count;
}
