using System.Runtime.CompilerServices;

namespace StreamDb.Util;

/// <summary>
/// One bit a page: which pages an open found in use. A plain word array, not BitArray: an open
/// sets a bit for every page of every version, and BitArray's indexer (checks, a version count,
/// int indexes) was a visible part of that.
/// </summary>
internal sealed class PageBitmap(long pages)
{
    private readonly ulong[] words = new ulong[(Math.Max(pages, 1) + 63) >> 6];

    // C# masks a ulong shift count to its low six bits: 1UL << (int)page is the page's bit in its word
    public bool this[long page]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (words[page >> 6] & (1UL << (int)page)) != 0;
    }

    /// <summary>Sets the page's bit; false when it was set already.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TrySet(long page)
    {
        ref ulong word = ref words[page >> 6];
        ulong bit = 1UL << (int)page;
        if ((word & bit) != 0) return false;
        word |= bit;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Clear(long page) => words[page >> 6] &= ~(1UL << (int)page);
}
