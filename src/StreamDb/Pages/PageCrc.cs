using System.Buffers.Binary;
using StreamDb.Documents;
using StreamDb.Util;

namespace StreamDb.Pages;

/// <summary>
/// Which bytes a page's CRC covers (docs/FORMAT.md). A data page written with
/// <see cref="PageFlags.ShortCrc"/> has its CRC over the header and the bytes it holds (the
/// document header on a first page, then data length bytes), not over the tail after them,
/// so a read of a partly filled page reads and checks only what the page holds (a 10 KB
/// document in 8 KiB pages: 10 KB instead of 16). A journal page with the flag has it over the
/// header, the two write ids and its records. Pages without the flag (pages of files written
/// before it, checkpoint pages) have their CRC over the whole page.
/// </summary>
internal static class PageCrc
{
    /// <summary>How many bytes from the page's start its CRC covers, read from its header
    /// (the first <see cref="PageHeader.Size"/> bytes); -1 when the header's data length cannot
    /// be right (the CRC check then fails).</summary>
    public static int Covered(ReadOnlySpan<byte> header, int pageSize)
    {
        var flags = (PageFlags)header[25];
        if ((flags & PageFlags.ShortCrc) == 0) return pageSize;
        int from = (PageKind)header[24] == PageKind.Journal ? PageHeader.Size + MetaPrefix : HeldFrom(flags);
        long used = (long)from + BinaryPrimitives.ReadUInt32LittleEndian(header[28..]);
        return used <= pageSize ? (int)used : -1;
    }

    /// <summary>The two write ids a journal or checkpoint page's data area begins with (MetaChain).</summary>
    public const int MetaPrefix = 16;

    /// <summary>Covered bytes of a short-CRC data page at chain position 0 or later holding
    /// <paramref name="dataLength"/> bytes: what a reader that knows the chain expects.</summary>
    public static int CoveredByData(bool first, int dataLength) =>
        HeldFrom(first ? PageFlags.First : PageFlags.None) + dataLength;

    private static int HeldFrom(PageFlags flags) =>
        PageHeader.Size + ((flags & PageFlags.First) != 0 ? DocumentHeader.Size : 0);

    /// <summary>Marks a finished data page (header written, tail zero) short-CRC and stamps its CRC.</summary>
    public static void StampData(Span<byte> page)
    {
        page[25] |= (byte)PageFlags.ShortCrc;
        Crc32C.Stamp(page[..Covered(page, page.Length)]);
    }

    /// <summary>Checks a whole page read from the device, whichever CRC it carries.</summary>
    public static bool Check(ReadOnlySpan<byte> page)
    {
        int covered = Covered(page, page.Length);
        return covered >= 0 && Crc32C.Check(page[..covered]);
    }
}
