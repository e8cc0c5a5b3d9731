using StreamDb.Pages;

namespace StreamDb.Documents;

/// <summary>What a chain writer needs from the engine: pages to write into, and a way to give back
/// the ones it did not use (or all of them when the write is abandoned).</summary>
internal interface IPageAllocator
{
    /// <summary>Adds extents totalling <paramref name="count"/> pages to <paramref name="into"/>,
    /// preferring to start at <paramref name="preferred"/>. Full (with a message) when the
    /// database limit forbids it.</summary>
    Status Allocate(long count, long preferred, List<Extent> into);

    /// <summary>Adds one extent of <paramref name="count"/> pages taken from free pages alone,
    /// never growing the file; false, allocating nothing, when no free extent is that long.</summary>
    bool TryAllocateFree(long count, List<Extent> into);

    /// <summary>Allocates exactly page <paramref name="id"/> when it is free (or the next page at
    /// the end of the used area); false, allocating nothing, otherwise.</summary>
    bool TryAllocatePage(long id);

    /// <summary>Returns never-published pages to the free space at once.</summary>
    void Release(IReadOnlyList<Extent> extents);
}
