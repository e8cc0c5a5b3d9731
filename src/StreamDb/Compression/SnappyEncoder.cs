using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StreamDb.Compression;

/// <summary>
/// Greedy LZ77 over independent 64 KiB blocks, the shape Google's compressor uses: a hash of
/// the next 4 bytes finds a candidate earlier in the block, matches are extended 8 bytes at a
/// time, and the search stride grows while nothing matches so incompressible input is skipped
/// quickly. Blocks of at most 64 KiB keep every offset within 16 bits (the table stores
/// ushort positions and copies never need the 4-byte-offset form).
/// </summary>
internal static unsafe class SnappyEncoder
{
    private const int BlockSize = 1 << 16;
    private const int MaxTableBits = 14;
    private const int MinTableBits = 8;
    /// <summary>Search stops this far from the block end so 4/8-byte loads stay in bounds.</summary>
    private const int InputMargin = 15;
    private const uint HashMultiplier = 0x1E35A7BD;

    [SkipLocalsInit]
    internal static int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        // 32 KiB on the stack instead of a per-call allocation; each block clears only the
        // part its size uses.
        ushort* table = stackalloc ushort[1 << MaxTableBits];
        fixed (byte* input = source)
        fixed (byte* output = destination)
        {
            byte* op = SnappyHeader.Write(output, (uint)source.Length);
            byte* opEnd = output + destination.Length;
            for (int position = 0; position < source.Length; position += BlockSize)
            {
                int blockLength = Math.Min(BlockSize, source.Length - position);
                op = CompressBlock(input + position, blockLength, op, opEnd, table);
            }
            return (int)(op - output);
        }
    }

    private static byte* CompressBlock(byte* block, int blockLength, byte* op, byte* opEnd, ushort* table)
    {
        byte* ipEnd = block + blockLength;
        byte* nextEmit = block;
        if (blockLength < InputMargin + 1)
            return EmitLiteral(op, opEnd, nextEmit, ipEnd, blockLength);

        int tableBits = MinTableBits;
        while (tableBits < MaxTableBits && (1 << tableBits) < blockLength)
            tableBits++;
        int shift = 32 - tableBits;
        new Span<ushort>(table, 1 << tableBits).Clear();

        byte* ipLimit = ipEnd - InputMargin;
        byte* ip = block + 1;
        uint nextHash = Hash(Load32(ip), shift);
        while (true)
        {
            // Search: after 32 misses the stride becomes 2, after 64 more it becomes 3, ...
            // so data without matches costs ever fewer lookups per byte.
            uint skip = 32;
            byte* nextIp = ip;
            byte* candidate;
            do
            {
                ip = nextIp;
                uint hash = nextHash;
                uint stride = skip >> 5;
                skip += stride;
                nextIp = ip + stride;
                if (nextIp > ipLimit)
                    goto emitRemainder;
                nextHash = Hash(Load32(nextIp), shift);
                candidate = block + table[hash];
                table[hash] = (ushort)(ip - block);
            } while (Load32(ip) != Load32(candidate));

            op = EmitLiteral(op, opEnd, nextEmit, ipEnd, (int)(ip - nextEmit));

            // Emit copies while the position right after a match also matches something,
            // without going back to the literal search.
            while (true)
            {
                byte* matchStart = ip;
                int matched = 4 + MatchLength(candidate + 4, ip + 4, ipEnd);
                ip += matched;
                op = EmitCopy(op, (int)(matchStart - candidate), matched);
                nextEmit = ip;
                if (ip >= ipLimit)
                    goto emitRemainder;
                // Index the last byte of the match too, as a cheap way to find overlapping
                // repeats later.
                table[Hash(Load32(ip - 1), shift)] = (ushort)(ip - 1 - block);
                uint currentHash = Hash(Load32(ip), shift);
                candidate = block + table[currentHash];
                table[currentHash] = (ushort)(ip - block);
                if (Load32(ip) != Load32(candidate))
                    break;
            }
            ip++;
            nextHash = Hash(Load32(ip), shift);
        }

        emitRemainder:
        if (nextEmit < ipEnd)
            op = EmitLiteral(op, opEnd, nextEmit, ipEnd, (int)(ipEnd - nextEmit));
        return op;
    }

    /// <summary>Bytes that agree from <paramref name="s1"/> and <paramref name="s2"/> on, with s1 &lt; s2 &lt;= limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MatchLength(byte* s1, byte* s2, byte* limit)
    {
        byte* start = s2;
        while (limit - s2 >= 8)
        {
            ulong diff = Unsafe.ReadUnaligned<ulong>(s2) ^ Unsafe.ReadUnaligned<ulong>(s1);
            if (diff != 0)
                return (int)(s2 - start) + (BitOperations.TrailingZeroCount(diff) >> 3);
            s1 += 8;
            s2 += 8;
        }
        while (s2 < limit && *s1 == *s2)
        {
            s1++;
            s2++;
        }
        return (int)(s2 - start);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* EmitLiteral(byte* op, byte* opEnd, byte* literal, byte* ipEnd, int length)
    {
        uint n = (uint)length - 1;
        if (n < 60)
        {
            *op++ = (byte)(n << 2);
            if (length <= 16 && opEnd - op >= 16 && ipEnd - literal >= 16)
            {
                Unsafe.WriteUnaligned(op, Unsafe.ReadUnaligned<Vector128<byte>>(literal));
                return op + length;
            }
        }
        else
        {
            int count = n < 1u << 8 ? 1 : n < 1u << 16 ? 2 : n < 1u << 24 ? 3 : 4;
            *op++ = (byte)((59 + count) << 2);
            for (int i = 0; i < count; i++)
            {
                *op++ = (byte)n;
                n >>= 8;
            }
        }
        Unsafe.CopyBlockUnaligned(op, literal, (uint)length);
        return op + length;
    }

    /// <summary>Emits a copy of <paramref name="length"/> (&gt;= 4) bytes at <paramref name="offset"/> (&lt; 65536).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* EmitCopy(byte* op, int offset, int length)
    {
        // A 2-byte-offset copy holds at most 64 bytes. Splitting 65..67 as 60 + rest keeps
        // the tail at least 4 long, which every copy form needs.
        while (length >= 68)
        {
            op = EmitCopy2(op, offset, 64);
            length -= 64;
        }
        if (length > 64)
        {
            op = EmitCopy2(op, offset, 60);
            length -= 60;
        }
        if (length < 12 && offset < 2048)
        {
            op[0] = (byte)(1 | ((length - 4) << 2) | ((offset >> 8) << 5));
            op[1] = (byte)offset;
            return op + 2;
        }
        return EmitCopy2(op, offset, length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* EmitCopy2(byte* op, int offset, int length)
    {
        op[0] = (byte)(2 | ((length - 1) << 2));
        Unsafe.WriteUnaligned(op + 1, (ushort)offset);
        return op + 3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Load32(byte* p) => Unsafe.ReadUnaligned<uint>(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(uint bytes, int shift) => (bytes * HashMultiplier) >> shift;
}
