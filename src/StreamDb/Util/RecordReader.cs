using System.Buffers.Binary;

namespace StreamDb.Util;

/// <summary>
/// Reads what <see cref="RecordWriter"/> wrote. Malformed input (truncation, an overlong
/// varint, a length past the end) throws <see cref="FormatException"/>; the loaders turn that
/// into a Corrupted status.
/// </summary>
internal ref struct RecordReader
{
    private readonly ReadOnlySpan<byte> data;
    private int position;

    public RecordReader(ReadOnlySpan<byte> data)
    {
        this.data = data;
        position = 0;
    }

    public readonly bool AtEnd => position >= data.Length;

    public readonly int Position => position;

    public byte Byte()
    {
        if (position >= data.Length) throw new FormatException("record truncated");
        return data[position++];
    }

    public ulong VarUInt()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = Byte();
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw new FormatException("varint too long");
    }

    /// <summary>A varint that must fit a non-negative long no larger than <paramref name="max"/>.</summary>
    public long VarInt(long max = long.MaxValue)
    {
        ulong v = VarUInt();
        if (v > (ulong)max) throw new FormatException($"value {v} out of range");
        return (long)v;
    }

    public Guid Guid()
    {
        if (position + 16 > data.Length) throw new FormatException("record truncated");
        var id = new Guid(data.Slice(position, 16), bigEndian: true);
        position += 16;
        return id;
    }

    public ulong UInt64()
    {
        if (position + 8 > data.Length) throw new FormatException("record truncated");
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(position, 8));
        position += 8;
        return v;
    }

    public ReadOnlySpan<byte> Bytes(int maxLength)
    {
        long n = VarInt(maxLength);
        if (position + n > data.Length) throw new FormatException("record truncated");
        var s = data.Slice(position, (int)n);
        position += (int)n;
        return s;
    }
}
