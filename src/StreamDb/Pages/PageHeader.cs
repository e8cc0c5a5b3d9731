using System.Buffers.Binary;

namespace StreamDb.Pages;

/// <summary>
/// The 32-byte header at the start of every page (docs/FORMAT.md):
///  0 u32 CRC-32C of the whole page with this field zero
///  4 u32 stamp: low 32 bits of the write id shared by every page of one version (or journal/checkpoint write)
///  8 u64 previous page id in the chain (0 = none)
/// 16 u64 next page id in the chain (0 = none)
/// 24 u8  kind, 25 u8 flags, 26 u16 reserved (0)
/// 28 u32 bytes used in the data area
/// </summary>
internal struct PageHeader
{
    public const int Size = 32;

    public uint Stamp;
    public ulong Prev;
    public ulong Next;
    public PageKind Kind;
    public PageFlags Flags;
    public int DataLength;

    public static PageHeader Read(ReadOnlySpan<byte> page) => new()
    {
        Stamp = BinaryPrimitives.ReadUInt32LittleEndian(page[4..]),
        Prev = BinaryPrimitives.ReadUInt64LittleEndian(page[8..]),
        Next = BinaryPrimitives.ReadUInt64LittleEndian(page[16..]),
        Kind = (PageKind)page[24],
        Flags = (PageFlags)page[25],
        DataLength = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(page[28..]), int.MaxValue),
    };

    /// <summary>Writes the header fields (not the CRC, which covers the finished page).</summary>
    public readonly void Write(Span<byte> page)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(page, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(page[4..], Stamp);
        BinaryPrimitives.WriteUInt64LittleEndian(page[8..], Prev);
        BinaryPrimitives.WriteUInt64LittleEndian(page[16..], Next);
        page[24] = (byte)Kind;
        page[25] = (byte)Flags;
        BinaryPrimitives.WriteUInt16LittleEndian(page[26..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(page[28..], (uint)DataLength);
    }
}
