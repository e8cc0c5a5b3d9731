using System.Buffers.Binary;

namespace StreamDb.Util;

/// <summary>Appends little-endian fixed fields and LEB128 varints to a growable buffer.</summary>
internal sealed class RecordWriter
{
    private byte[] buffer;
    private int length;

    public RecordWriter(int capacity = 256) => buffer = new byte[capacity];

    public int Length => length;

    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, length);

    public void Clear() => length = 0;

    private Span<byte> Reserve(int n)
    {
        if (length + n > buffer.Length) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + n));
        var span = buffer.AsSpan(length, n);
        length += n;
        return span;
    }

    public void Byte(byte value) => Reserve(1)[0] = value;

    /// <summary>Reserves <paramref name="n"/> zero bytes to be filled in later with <see cref="Patch"/>; returns where they start.</summary>
    public int Skip(int n)
    {
        int at = length;
        Reserve(n).Clear();
        return at;
    }

    /// <summary>Bytes already written, to overwrite.</summary>
    public Span<byte> Patch(int at, int n) => buffer.AsSpan(0, length).Slice(at, n);

    public void VarUInt(ulong value)
    {
        while (value >= 0x80)
        {
            Byte((byte)(value | 0x80));
            value >>= 7;
        }
        Byte((byte)value);
    }

    public void VarInt(long value) => VarUInt((ulong)value);

    public void Guid(Guid id)
    {
        if (!id.TryWriteBytes(Reserve(16), bigEndian: true, out _)) throw new InvalidOperationException();
    }

    public void UInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    /// <summary>Appends bytes as they are (no length prefix).</summary>
    public void Raw(ReadOnlySpan<byte> value) => value.CopyTo(Reserve(value.Length));

    public void Bytes(ReadOnlySpan<byte> value)
    {
        VarUInt((ulong)value.Length);
        value.CopyTo(Reserve(value.Length));
    }
}
