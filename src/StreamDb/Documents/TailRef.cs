namespace StreamDb.Documents;

/// <summary>Where a packed tail lives: the pack page, the fragment's offset in the page's data
/// area, and the document bytes it holds. Default (page 0): the version has no packed tail.</summary>
internal readonly record struct TailRef(long Page, int Offset, int Length)
{
    public bool IsPresent => Page != 0;
}
