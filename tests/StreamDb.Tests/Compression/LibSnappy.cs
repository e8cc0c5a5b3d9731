using System.Runtime.InteropServices;

namespace StreamDb.Tests.Compression;

/// <summary>
/// Google's snappy through its C API (snappy-c.h), from Debian's libsnappy1v5: the reference
/// our codec must agree with byte for byte.
/// </summary>
internal static unsafe partial class LibSnappy
{
    private const string Library = "libsnappy.so.1";

    internal enum SnappyStatus
    {
        Ok = 0,
        InvalidInput = 1,
        BufferTooSmall = 2,
    }

    [LibraryImport(Library, EntryPoint = "snappy_compress")]
    private static partial SnappyStatus NativeCompress(byte* input, nuint inputLength, byte* compressed, ref nuint compressedLength);

    [LibraryImport(Library, EntryPoint = "snappy_uncompress")]
    private static partial SnappyStatus NativeUncompress(byte* compressed, nuint compressedLength, byte* uncompressed, ref nuint uncompressedLength);

    [LibraryImport(Library, EntryPoint = "snappy_max_compressed_length")]
    private static partial nuint NativeMaxCompressedLength(nuint sourceLength);

    [LibraryImport(Library, EntryPoint = "snappy_uncompressed_length")]
    private static partial SnappyStatus NativeUncompressedLength(byte* compressed, nuint compressedLength, out nuint result);

    internal static int MaxCompressedLength(int sourceLength) => checked((int)NativeMaxCompressedLength((nuint)sourceLength));

    internal static byte[] Compress(ReadOnlySpan<byte> input)
    {
        var output = new byte[MaxCompressedLength(input.Length)];
        nuint length = (nuint)output.Length;
        byte placeholder = 0;
        fixed (byte* i = input)
        fixed (byte* o = output)
        {
            SnappyStatus status = NativeCompress(i == null ? &placeholder : i, (nuint)input.Length, o, ref length);
            if (status != SnappyStatus.Ok)
                throw new InvalidOperationException($"snappy_compress failed: {status}");
        }
        return output.AsSpan(0, (int)length).ToArray();
    }

    /// <summary>snappy_uncompress into <paramref name="output"/>; <paramref name="written"/> is the uncompressed length on success.</summary>
    internal static SnappyStatus Uncompress(ReadOnlySpan<byte> compressed, Span<byte> output, out int written)
    {
        nuint length = (nuint)output.Length;
        byte placeholder = 0;
        fixed (byte* c = compressed)
        fixed (byte* o = output)
        {
            // Never hand C a null pointer, even for an empty span.
            SnappyStatus status = NativeUncompress(c == null ? &placeholder : c, (nuint)compressed.Length,
                o == null ? &placeholder : o, ref length);
            written = status == SnappyStatus.Ok ? (int)length : 0;
            return status;
        }
    }

    internal static SnappyStatus UncompressedLength(ReadOnlySpan<byte> compressed, out ulong length)
    {
        byte placeholder = 0;
        fixed (byte* c = compressed)
        {
            SnappyStatus status = NativeUncompressedLength(c == null ? &placeholder : c, (nuint)compressed.Length, out nuint result);
            length = result;
            return status;
        }
    }
}
