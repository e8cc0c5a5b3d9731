using System.Buffers.Binary;
using StreamDb.Util;

namespace StreamDb.Format;

/// <summary>
/// Page 0 of every database file (docs/FORMAT.md): a static part written once at creation
/// (magic, format version, page size) and two root slots that commits overwrite alternately.
///   0  8 bytes magic 55 AA FE ED FA CE DA 7A
///   8  u32 format version
///  12  u32 page size
///  16  u32 flags (0), 20 u32 reserved, 24 u32 reserved
///  28  u32 CRC-32C of bytes 0..27 (CRC field zeroed... it is outside the range)
/// 512  root slot A (128 bytes), 1024 root slot B (128 bytes)
/// The slots sit in separate 512-byte sectors, so a torn write of one cannot damage the other.
/// </summary>
internal static class FileHeader
{
    /// <summary>The version new files get. Version 2 files have short-CRC journal pages
    /// (docs/FORMAT.md), which a library that knows only version 1 would take for torn writes:
    /// it refuses the file instead. A version 1 file keeps whole-CRC journal pages, whatever
    /// library writes to it, so that the library it came from can still open it.</summary>
    public const int FormatVersion = 2;
    /// <summary>The oldest version this library opens.</summary>
    public const int OldestFormatVersion = 1;
    public const int StaticSize = 32;
    public const int SlotAOffset = 512;
    public const int SlotBOffset = 1024;
    public const int MinPageSize = 4096;
    public const int MaxPageSize = 65536;

    public static ReadOnlySpan<byte> Magic => [0x55, 0xAA, 0xFE, 0xED, 0xFA, 0xCE, 0xDA, 0x7A];

    public static int SlotOffset(int slot) => slot == 0 ? SlotAOffset : SlotBOffset;

    public static bool IsValidPageSize(int pageSize) =>
        pageSize >= MinPageSize && pageSize <= MaxPageSize && (pageSize & (pageSize - 1)) == 0;

    public static void WriteStatic(Span<byte> header, int pageSize)
    {
        header[..StaticSize].Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)pageSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], Crc32C.Compute(header[..28]));
    }

    /// <summary>Validates the static part; returns the page size and format version or an error text.</summary>
    public static bool TryReadStatic(ReadOnlySpan<byte> header, out int pageSize, out int formatVersion, out string error)
    {
        pageSize = 0;
        formatVersion = 0;
        if (!header[..8].SequenceEqual(Magic)) { error = "not a StreamDb file (bad magic)"; return false; }
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[28..]) != Crc32C.Compute(header[..28]))
        {
            error = "file header CRC mismatch"; return false;
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version < OldestFormatVersion || version > FormatVersion) { error = $"unsupported format version {version}"; return false; }
        formatVersion = (int)version;
        pageSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (!IsValidPageSize(pageSize)) { error = $"invalid page size {pageSize} in header"; return false; }
        error = "";
        return true;
    }
}
