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

    // Three-lane scheme: the crc32 instruction has a latency of 3 cycles but a throughput of
    // one per cycle, so one dependent chain runs at a third of the speed the CPU allows. Long
    // inputs are cut into blocks of three 256-byte lanes computed side by side; lanes are
    // joined by "shifting" a CRC over 256 zero bytes, which is linear in the CRC state and so
    // is four table lookups (the table is built with the same instruction, not hand-derived).
    private const int Lane = 256;
    private static readonly uint[] LaneShift = BuildLaneShift();

    private static uint[] BuildLaneShift()
    {
        var table = new uint[4 * 256];
        for (int b = 0; b < 4; b++)
            for (int v = 0; v < 256; v++)
            {
                uint crc = (uint)v << (8 * b);
                for (int i = 0; i < Lane; i += 8) crc = BitOperations.Crc32C(crc, 0UL);
                table[b * 256 + v] = crc;
            }
        return table;
    }

    private static uint ShiftOverLane(uint crc) =>
        LaneShift[crc & 0xFF] ^ LaneShift[256 + ((crc >> 8) & 0xFF)] ^ LaneShift[512 + ((crc >> 16) & 0xFF)] ^ LaneShift[768 + (crc >> 24)];

    /// <summary>Continues a raw (un-inverted) CRC state over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        for (; i + 3 * Lane <= length; i += 3 * Lane)
        {
            uint c1 = 0, c2 = 0;
            for (int k = i; k < i + Lane; k += 8)
            {
                crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, k)));
                c1 = BitOperations.Crc32C(c1, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, k + Lane)));
                c2 = BitOperations.Crc32C(c2, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, k + 2 * Lane)));
            }
            crc = ShiftOverLane(crc) ^ c1;
            crc = ShiftOverLane(crc) ^ c2;
        }
        return AppendSerial(crc, ref Unsafe.Add(ref p, i), length - i);
    }

    /// <summary>One dependent chain: for short inputs and the tail of long ones (and as the reference the tests compare with).</summary>
    internal static uint AppendSerial(uint crc, ReadOnlySpan<byte> data) =>
        AppendSerial(crc, ref MemoryMarshal.GetReference(data), data.Length);

    private static uint AppendSerial(uint crc, ref byte p, int length)
    {
        int i = 0;
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

    /// <summary>Check for a block that arrived in three consecutive pieces (a
    /// vectored read); <paramref name="head"/> holds the CRC field.</summary>
    public static bool Check(ReadOnlySpan<byte> head, ReadOnlySpan<byte> middle, ReadOnlySpan<byte> tail)
    {
        uint crc = Append(BitOperations.Crc32C(~0u, 0u), head[4..]);
        crc = Append(Append(crc, middle), tail);
        return BinaryPrimitives.ReadUInt32LittleEndian(head) == ~crc;
    }

    public static bool Check(ReadOnlySpan<byte> block) =>
        BinaryPrimitives.ReadUInt32LittleEndian(block) == ComputeWithZeroedField(block);
}
