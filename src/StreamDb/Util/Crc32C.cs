using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StreamDb.Util;

/// <summary>
/// CRC-32C (Castagnoli), as iSCSI/ext4 use it: initial value and final XOR 0xFFFFFFFF.
/// BitOperations.Crc32C compiles to the SSE4.2 crc32 instruction when the target has it (the
/// native library is built for x86-64-v2, and a test asserts SSE4.2 is there); without it the
/// runtime silently falls back to a software path that is ~80x slower.
/// </summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    /// <summary>Continues a raw (un-inverted) CRC state over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        for (; i + 32 <= length; i += 32)
        {
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)));
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i + 8)));
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i + 16)));
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i + 24)));
        }
        for (; i + 8 <= length; i += 8)
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)));
        for (; i < length; i++)
            crc = BitOperations.Crc32C(crc, Unsafe.Add(ref p, i));
        return crc;
    }

    /// <summary>CRC of a block whose first four bytes are the CRC field: computed as if they were zero.</summary>
    public static uint ComputeWithZeroedField(ReadOnlySpan<byte> block)
    {
        uint crc = BitOperations.Crc32C(~0u, 0u);
        return ~Append(crc, block[4..]);
    }

    public static void Stamp(Span<byte> block) =>
        BinaryPrimitives.WriteUInt32LittleEndian(block, ComputeWithZeroedField(block));

    public static bool Check(ReadOnlySpan<byte> block) =>
        BinaryPrimitives.ReadUInt32LittleEndian(block) == ComputeWithZeroedField(block);
}
