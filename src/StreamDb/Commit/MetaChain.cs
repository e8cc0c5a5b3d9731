using System.Buffers.Binary;
using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Commit;

/// <summary>
/// Pages of the index's own chains (journal and checkpoint). Their data area starts with two
/// u64 write ids, the page's own and its predecessor's, then record bytes. A page is only
/// accepted when its write id is the one its successor (or the root) expects, so a page whose
/// new contents never reached the disk is caught even though its stale contents pass the CRC.
/// Journal pages of format version 2 files are written short-CRC (<see cref="PageFlags.ShortCrc"/>):
/// their CRC covers the header, the write ids and the records, so that the commit that rewrites
/// the journal's partly filled last page writes it only as far as its records reach
/// (PageIO.WrittenLength). Checkpoint pages, written in long runs and full but for the last,
/// keep a whole-page CRC.
/// </summary>
internal static class MetaChain
{
    public const int Prefix = PageCrc.MetaPrefix;

    public static int Capacity(int pageSize) => pageSize - PageHeader.Size - Prefix;

    public static void Build(Span<byte> page, PageKind kind, ulong writeId, ulong prevWriteId, ulong prev, ulong next, ReadOnlySpan<byte> records,
        PageFlags flags = PageFlags.None)
    {
        page.Clear();
        new PageHeader { Stamp = (uint)writeId, Prev = prev, Next = next, Kind = kind, Flags = flags, DataLength = records.Length }.Write(page);
        BinaryPrimitives.WriteUInt64LittleEndian(page[PageHeader.Size..], writeId);
        BinaryPrimitives.WriteUInt64LittleEndian(page[(PageHeader.Size + 8)..], prevWriteId);
        records.CopyTo(page[(PageHeader.Size + Prefix)..]);
        Crc32C.Stamp(page[..PageCrc.Covered(page, page.Length)]);
    }

    /// <summary>Checks a page and returns its header, predecessor's write id and records; null with a reason when it is not the expected page.</summary>
    public static string? Check(ReadOnlySpan<byte> page, PageKind kind, ulong expectedWriteId, out PageHeader header, out ulong prevWriteId, out ReadOnlySpan<byte> records)
    {
        header = default;
        prevWriteId = 0;
        records = default;
        if (!PageCrc.Check(page)) return "CRC mismatch";
        header = PageHeader.Read(page);
        if (header.Kind != kind) return $"page kind {header.Kind}, expected {kind}";
        ulong self = BinaryPrimitives.ReadUInt64LittleEndian(page[PageHeader.Size..]);
        if (self != expectedWriteId) return "write id mismatch (the page's newest contents never reached the disk)";
        prevWriteId = BinaryPrimitives.ReadUInt64LittleEndian(page[(PageHeader.Size + 8)..]);
        if (header.DataLength > Capacity(page.Length)) return "data length too large";
        records = page.Slice(PageHeader.Size + Prefix, header.DataLength);
        return null;
    }
}
