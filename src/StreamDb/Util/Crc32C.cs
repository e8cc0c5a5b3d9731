using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

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
    // one per cycle, so one dependent chain runs at a third of the speed the CPU allows. Inputs
    // are cut into blocks of three equal lanes computed side by side (1024-byte lanes, then 256,
    // then 64 for what is left); lanes are joined by "shifting" a CRC over a lane of zero bytes,
    // which is linear in the CRC state and so is four table lookups (each table is built with
    // the same instruction, not hand-derived). Long lanes make the joins rare; short ones keep
    // the serial tail short.
    private static readonly uint[] Shift1024 = BuildLaneShift(1024);
    private static readonly uint[] Shift256 = BuildLaneShift(256);
    private static readonly uint[] Shift64 = BuildLaneShift(64);

    private static uint[] BuildLaneShift(int lane)
    {
        var table = new uint[4 * 256];
        for (int b = 0; b < 4; b++)
            for (int v = 0; v < 256; v++)
            {
                uint crc = (uint)v << (8 * b);
                for (int i = 0; i < lane; i += 8) crc = BitOperations.Crc32C(crc, 0UL);
                table[b * 256 + v] = crc;
            }
        return table;
    }

    private static uint ShiftOverLane(uint[] table, uint crc) =>
        table[crc & 0xFF] ^ table[256 + ((crc >> 8) & 0xFF)] ^ table[512 + ((crc >> 16) & 0xFF)] ^ table[768 + (crc >> 24)];

    // The state is carried as a ulong: with a uint state the compiler zero-extends it before
    // every crc32 instruction (mov r32, r32 on the dependent chain: 4 cycles per step instead
    // of 3, measured 13.5 against 20 GB/s on 8 KiB).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Step(ulong crc, ulong data) =>
        Sse42.X64.IsSupported ? Sse42.X64.Crc32(crc, data) : BitOperations.Crc32C((uint)crc, data);

    /// <summary>Continues a raw (un-inverted) CRC state over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        for (; i + 3 * 1024 <= length; i += 3 * 1024) crc = Block(crc, ref Unsafe.Add(ref p, i), 1024, Shift1024);
        for (; i + 3 * 256 <= length; i += 3 * 256) crc = Block(crc, ref Unsafe.Add(ref p, i), 256, Shift256);
        for (; i + 3 * 64 <= length; i += 3 * 64) crc = Block(crc, ref Unsafe.Add(ref p, i), 64, Shift64);
        return AppendSerial(crc, ref Unsafe.Add(ref p, i), length - i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Block(uint crc, ref byte p, int lane, uint[] shift)
    {
        ulong c0 = crc, c1 = 0, c2 = 0;
        ref byte q = ref Unsafe.Add(ref p, lane);
        ref byte r = ref Unsafe.Add(ref p, 2 * lane);
        for (nint k = 0; k < lane; k += 16)
        {
            c0 = Step(c0, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, k)));
            c1 = Step(c1, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref q, k)));
            c2 = Step(c2, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref r, k)));
            c0 = Step(c0, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, k + 8)));
            c1 = Step(c1, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref q, k + 8)));
            c2 = Step(c2, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref r, k + 8)));
        }
        uint joined = ShiftOverLane(shift, (uint)c0) ^ (uint)c1;
        return ShiftOverLane(shift, joined) ^ (uint)c2;
    }

    /// <summary>One dependent chain: for short inputs and the tail of long ones (and as the reference the tests compare with).</summary>
    internal static uint AppendSerial(uint crc, ReadOnlySpan<byte> data) =>
        AppendSerial(crc, ref MemoryMarshal.GetReference(data), data.Length);

    private static uint AppendSerial(uint crc, ref byte p, int length)
    {
        ulong c = crc;
        int i = 0;
        for (; i + 8 <= length; i += 8)
            c = Step(c, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)));
        crc = (uint)c;
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
