namespace StreamDb.Compression;

/// <summary>
/// Snappy block format (google/snappy format_description.txt): a varint of the uncompressed
/// length followed by literal and copy elements. Output is readable by Google's snappy and
/// this decoder reads anything Google's snappy writes. Nothing here allocates, so callers on
/// the read and write paths can use pooled or stack buffers. Element fields are read and
/// written with native unaligned loads and stores, so this assumes a little-endian CPU
/// (x64, arm64: every target StreamDb builds for).
/// </summary>
public static class Snappy
{
    /// <summary>
    /// The largest output <see cref="Compress"/> can produce for <paramref name="sourceLength"/>
    /// input bytes (Google's bound: every literal run costs at most one tag byte per 6 bytes
    /// plus a fixed header).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The bound would not fit an int.</exception>
    public static int MaxCompressedLength(int sourceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sourceLength);
        long bound = 32L + sourceLength + sourceLength / 6;
        if (bound > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(sourceLength), sourceLength,
                "snappy: input too large for a single block-format stream");
        return (int)bound;
    }

    /// <summary>Compresses <paramref name="source"/> into <paramref name="destination"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is shorter than <see cref="MaxCompressedLength"/>.
    /// </exception>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int bound = MaxCompressedLength(source.Length);
        if (destination.Length < bound)
            throw new ArgumentException(
                $"snappy: destination holds {destination.Length} bytes; compressing {source.Length} bytes needs {bound} (MaxCompressedLength)",
                nameof(destination));
        return SnappyEncoder.Compress(source, destination);
    }

    /// <summary>
    /// Reads the uncompressed length from the stream's header without decoding it.
    /// Returns <see cref="Status.Corrupted"/> when the header is truncated, longer than 5
    /// bytes, or larger than <see cref="int.MaxValue"/>.
    /// </summary>
    public static Status TryGetUncompressedLength(ReadOnlySpan<byte> compressed, out int length) =>
        SnappyHeader.Read(compressed, out length, out _);

    /// <summary>
    /// Decompresses a whole stream. Returns <see cref="Status.Ok"/> with
    /// <paramref name="written"/> set to the uncompressed length;
    /// <see cref="Status.BufferTooSmall"/> when <paramref name="destination"/> is shorter than
    /// the header says (nothing written); <see cref="Status.Corrupted"/> when the stream is
    /// malformed (LastError says why; <paramref name="destination"/> may hold partial output).
    /// </summary>
    public static Status Decompress(ReadOnlySpan<byte> compressed, Span<byte> destination, out int written) =>
        SnappyDecoder.Decompress(compressed, destination, out written);
}
