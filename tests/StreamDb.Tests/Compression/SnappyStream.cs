namespace StreamDb.Tests.Compression;

/// <summary>Hand-assembles Snappy streams element by element, including forms no compressor emits.</summary>
internal sealed class SnappyStream
{
    private readonly List<byte> bytes = [];

    internal static SnappyStream WithLength(ulong uncompressedLength)
    {
        var stream = new SnappyStream();
        do
        {
            byte b = (byte)(uncompressedLength & 0x7F);
            uncompressedLength >>= 7;
            stream.bytes.Add(uncompressedLength != 0 ? (byte)(b | 0x80) : b);
        } while (uncompressedLength != 0);
        return stream;
    }

    /// <summary>A literal whose length is stored in <paramref name="lengthBytes"/> extra bytes (0 = in the tag).</summary>
    internal SnappyStream Literal(ReadOnlySpan<byte> data, int lengthBytes = -1) =>
        LiteralHeader((ulong)data.Length, lengthBytes).Bytes(data);

    internal SnappyStream Literal(string ascii, int lengthBytes = -1) =>
        Literal(System.Text.Encoding.ASCII.GetBytes(ascii), lengthBytes);

    /// <summary>Only the tag (and length bytes) of a literal of <paramref name="length"/> bytes.</summary>
    internal SnappyStream LiteralHeader(ulong length, int lengthBytes = -1)
    {
        ulong n = length - 1;
        if (lengthBytes < 0)
            lengthBytes = n < 60 ? 0 : n < 1 << 8 ? 1 : n < 1 << 16 ? 2 : n < 1 << 24 ? 3 : 4;
        if (lengthBytes == 0)
        {
            bytes.Add((byte)(n << 2));
            return this;
        }
        bytes.Add((byte)((59 + lengthBytes) << 2));
        for (int i = 0; i < lengthBytes; i++)
            bytes.Add((byte)(n >> (8 * i)));
        return this;
    }

    internal SnappyStream Copy1(int offset, int length)
    {
        bytes.Add((byte)(1 | ((length - 4) << 2) | ((offset >> 8) << 5)));
        bytes.Add((byte)offset);
        return this;
    }

    internal SnappyStream Copy2(int offset, int length)
    {
        bytes.Add((byte)(2 | ((length - 1) << 2)));
        bytes.Add((byte)offset);
        bytes.Add((byte)(offset >> 8));
        return this;
    }

    internal SnappyStream Copy4(uint offset, int length)
    {
        bytes.Add((byte)(3 | ((length - 1) << 2)));
        for (int i = 0; i < 4; i++)
            bytes.Add((byte)(offset >> (8 * i)));
        return this;
    }

    internal SnappyStream Bytes(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
            bytes.Add(b);
        return this;
    }

    internal byte[] ToArray() => [.. bytes];
}
