namespace StreamDb.Compression;

/// <summary>The stream's preamble: the uncompressed length as a little-endian base-128 varint.</summary>
internal static class SnappyHeader
{
    /// <summary>A uint32 needs at most 5 varint bytes; a sixth byte can only be an attack.</summary>
    internal const int MaxBytes = 5;

    internal static Status Read(ReadOnlySpan<byte> compressed, out int length, out int headerSize)
    {
        length = 0;
        headerSize = 0;
        ulong value = 0;
        for (int i = 0; i < MaxBytes; i++)
        {
            if (i >= compressed.Length)
                return LastError.Set(Status.Corrupted,
                    compressed.IsEmpty
                        ? "snappy: empty input has no length header"
                        : $"snappy: length header truncated after {i} byte(s)");
            byte b = compressed[i];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                // Spans cannot exceed int.MaxValue; a larger claim is either hostile or
                // not ours to decode, and must not turn into a huge allocation upstream.
                if (value > int.MaxValue)
                    return LastError.Set(Status.Corrupted,
                        $"snappy: declared uncompressed length {value} exceeds {int.MaxValue}");
                length = (int)value;
                headerSize = i + 1;
                return Status.Ok;
            }
        }
        return LastError.Set(Status.Corrupted, $"snappy: length header longer than {MaxBytes} bytes");
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="op"/>; returns the new position.</summary>
    internal static unsafe byte* Write(byte* op, uint value)
    {
        while (value >= 0x80)
        {
            *op++ = (byte)(value | 0x80);
            value >>= 7;
        }
        *op++ = (byte)value;
        return op;
    }
}
