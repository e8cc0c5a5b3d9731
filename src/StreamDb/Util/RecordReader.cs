using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace StreamDb.Util;

/// <summary>
/// Reads what <see cref="RecordWriter"/> wrote. Malformed input (truncation, an overlong
/// varint, a length past the end) throws <see cref="FormatException"/>; the loaders turn that
/// into a Corrupted status. The throws sit in methods of their own so that the small readers
/// inline: an open decodes every checkpoint record, and the calls were a third of its time.
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

    /// <summary>Reads <paramref name="data"/> from <paramref name="position"/> on (positions stay those of <paramref name="data"/>).</summary>
    public RecordReader(ReadOnlySpan<byte> data, int position)
    {
        if ((uint)position > (uint)data.Length) throw new ArgumentOutOfRangeException(nameof(position));
        this.data = data;
        this.position = position;
    }

    public readonly bool AtEnd => position >= data.Length;

    public readonly int Position => position;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Byte()
    {
        if ((uint)position >= (uint)data.Length) Truncated();
        return data[position++];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong VarUInt()
    {
        // most varints here (counts, flags, small numbers) are one byte
        if ((uint)position < (uint)data.Length && data[position] < 0x80) return data[position++];
        return VarUIntLong();
    }

    private ulong VarUIntLong()
    {
        var d = data;
        int p = position;
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if ((uint)p >= (uint)d.Length) Truncated();
            byte b = d[p++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                position = p;
                return result;
            }
        }
        throw new FormatException("varint too long");
    }

    /// <summary>A varint that must fit a non-negative long no larger than <paramref name="max"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long VarInt(long max = long.MaxValue)
    {
        ulong v = VarUInt();
        if (v > (ulong)max) OutOfRange(v);
        return (long)v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Guid Guid()
    {
        if (position > data.Length - 16) Truncated();
        var id = new Guid(data.Slice(position, 16), bigEndian: true);
        position += 16;
        return id;
    }

    [DoesNotReturn]
    private static void Truncated() => throw new FormatException("record truncated");

    [DoesNotReturn]
    private static void OutOfRange(ulong v) => throw new FormatException($"value {v} out of range");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong UInt64()
    {
        if (position > data.Length - 8) Truncated();
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
