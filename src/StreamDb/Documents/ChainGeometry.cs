using StreamDb.Pages;

namespace StreamDb.Documents;

/// <summary>
/// Where a byte of a stored document lives in its chain. Every page but the last is full, so
/// the mapping is arithmetic: the first page holds FirstCapacity bytes (after the document
/// header), every later page Capacity bytes. A zero-length document still has its first page.
/// </summary>
internal readonly struct ChainGeometry(int pageSize)
{
    public int Capacity { get; } = pageSize - PageHeader.Size;
    public int FirstCapacity { get; } = pageSize - PageHeader.Size - DocumentHeader.Size;

    public long PagesFor(long storedLength) =>
        storedLength <= FirstCapacity ? 1 : 1 + (storedLength - FirstCapacity + Capacity - 1) / Capacity;

    /// <summary>Page index and offset within that page's payload of stored byte <paramref name="position"/>.</summary>
    public (long Page, int Within) Locate(long position) =>
        position < FirstCapacity ? (0, (int)position) : (1 + (position - FirstCapacity) / Capacity, (int)((position - FirstCapacity) % Capacity));

    /// <summary>Offset of page <paramref name="index"/>'s payload within the page.</summary>
    public int PayloadOffset(long index) => PageHeader.Size + (index == 0 ? DocumentHeader.Size : 0);

    /// <summary>Stored bytes on page <paramref name="index"/> of a chain of <paramref name="storedLength"/> bytes.</summary>
    public int PayloadLength(long index, long storedLength)
    {
        if (index == 0) return (int)Math.Min(storedLength, FirstCapacity);
        long start = FirstCapacity + (index - 1) * Capacity;
        return (int)Math.Clamp(storedLength - start, 0, Capacity);
    }
}
