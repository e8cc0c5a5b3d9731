using System.Runtime.InteropServices;

namespace SnappyCompare;

/// <summary>Google's snappy via snappy-c.h (Debian libsnappy1v5).</summary>
internal static unsafe partial class NativeSnappy
{
    private const string Library = "libsnappy.so.1";

    [LibraryImport(Library, EntryPoint = "snappy_compress")]
    private static partial int NativeCompress(byte* input, nuint inputLength, byte* compressed, ref nuint compressedLength);

    [LibraryImport(Library, EntryPoint = "snappy_uncompress")]
    private static partial int NativeUncompress(byte* compressed, nuint compressedLength, byte* uncompressed, ref nuint uncompressedLength);

    [LibraryImport(Library, EntryPoint = "snappy_max_compressed_length")]
    internal static partial nuint MaxCompressedLength(nuint sourceLength);

    internal static int Compress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        nuint length = (nuint)output.Length;
        fixed (byte* i = input)
        fixed (byte* o = output)
        {
            if (NativeCompress(i, (nuint)input.Length, o, ref length) != 0)
                throw new InvalidOperationException("snappy_compress failed");
        }
        return (int)length;
    }

    internal static int Uncompress(ReadOnlySpan<byte> compressed, Span<byte> output)
    {
        nuint length = (nuint)output.Length;
        fixed (byte* c = compressed)
        fixed (byte* o = output)
        {
            if (NativeUncompress(c, (nuint)compressed.Length, o, ref length) != 0)
                throw new InvalidOperationException("snappy_uncompress failed");
        }
        return (int)length;
    }
}
