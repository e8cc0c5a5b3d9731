using System.Buffers.Binary;

namespace StreamDb.Documents;

/// <summary>
/// The 48 bytes at the start of the data area of a version's first page, so that the index can
/// be rebuilt from data pages alone (docs/FORMAT.md):
///  0 guid document id (RFC 4122 byte order), 16 u64 version number, 24 u64 length,
/// 32 u64 stored length, 40 u64 write id.
/// </summary>
internal readonly record struct DocumentHeader(Guid Id, long Number, long Length, long StoredLength, ulong WriteId)
{
    public const int Size = 48;

    public void Write(Span<byte> area)
    {
        Id.TryWriteBytes(area, bigEndian: true, out _);
        BinaryPrimitives.WriteInt64LittleEndian(area[16..], Number);
        BinaryPrimitives.WriteInt64LittleEndian(area[24..], Length);
        BinaryPrimitives.WriteInt64LittleEndian(area[32..], StoredLength);
        BinaryPrimitives.WriteUInt64LittleEndian(area[40..], WriteId);
    }

    public static DocumentHeader Read(ReadOnlySpan<byte> area) => new(
        new Guid(area[..16], bigEndian: true),
        BinaryPrimitives.ReadInt64LittleEndian(area[16..]),
        BinaryPrimitives.ReadInt64LittleEndian(area[24..]),
        BinaryPrimitives.ReadInt64LittleEndian(area[32..]),
        BinaryPrimitives.ReadUInt64LittleEndian(area[40..]));
}
