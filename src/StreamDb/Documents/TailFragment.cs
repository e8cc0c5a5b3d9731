using System.Buffers.Binary;
using StreamDb.Util;

namespace StreamDb.Documents;

/// <summary>
/// The end of a document's stored bytes kept in a pack page (docs/FORMAT.md, "Packed tails"),
/// framed so that a reader checks it alone, without reading the rest of the page:
///  0 u32 CRC-32C of bytes 4.. of the fragment (length, write id, data)
///  4 u32 data length
///  8 u64 write id of the version it belongs to
/// 16 the data
/// The write id, not the document id, names the owner: a batch packs tails before its commit
/// settles which document (and version number) each write becomes.
/// </summary>
internal static class TailFragment
{
    public const int HeaderSize = 16;

    public static int SizeFor(int dataLength) => HeaderSize + dataLength;

    /// <summary>Frames <paramref name="data"/> into <paramref name="into"/> (SizeFor(data.Length) bytes).</summary>
    public static void Write(Span<byte> into, ulong writeId, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(into[4..], (uint)data.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(into[8..], writeId);
        data.CopyTo(into[HeaderSize..]);
        Crc32C.Stamp(into[..SizeFor(data.Length)]);
    }

    /// <summary>Null when <paramref name="fragment"/> is the framed tail of the version with
    /// <paramref name="writeId"/> holding <paramref name="dataLength"/> bytes; else what is wrong.</summary>
    public static string? Check(ReadOnlySpan<byte> fragment, ulong writeId, int dataLength, bool checkCrc)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(fragment[4..]) != (uint)dataLength) return "tail fragment length does not match the index";
        if (BinaryPrimitives.ReadUInt64LittleEndian(fragment[8..]) != writeId) return "tail fragment belongs to another write (stale or misplaced)";
        if (checkCrc && !Crc32C.Check(fragment[..SizeFor(dataLength)])) return "tail fragment CRC mismatch";
        return null;
    }
}
