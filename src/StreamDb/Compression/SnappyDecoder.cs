using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StreamDb.Compression;

/// <summary>
/// Decodes Snappy elements with pointer arithmetic for speed. Every element is checked
/// against both ends before any byte moves: input and output bounds are compared as unsigned
/// distances, so no length or offset read from the stream can produce an out-of-range access,
/// and every element consumes at least one input byte, so decoding always terminates.
/// Wide (8/16-byte) copies are used only when the slop they write still lies inside the
/// declared output, so bytes of the caller's buffer past the declared length are never touched.
/// </summary>
internal static unsafe class SnappyDecoder
{
    private enum Fault
    {
        None,
        LiteralLengthTruncated,
        LiteralPastInput,
        LiteralPastOutput,
        CopyTruncated,
        ZeroOffset,
        OffsetBeforeStart,
        CopyPastOutput,
        OutputShort,
    }

    /// <summary>
    /// Per tag byte: bits 0-7 the length held in the tag (0 for literals whose length follows),
    /// bits 8-10 the high offset bits of a 1-byte-offset copy, bits 11-13 how many bytes follow
    /// the tag (literal length bytes or offset bytes).
    /// </summary>
    private static readonly ushort[] ElementTable = BuildElementTable();

    private static ushort[] BuildElementTable()
    {
        var table = new ushort[256];
        for (int tag = 0; tag < 256; tag++)
        {
            int upper = tag >> 2;
            table[tag] = (tag & 3) switch
            {
                0 when upper < 60 => (ushort)(upper + 1),
                0 => (ushort)((upper - 59) << 11),
                1 => (ushort)((1 << 11) | ((tag >> 5) << 8) | (4 + (upper & 7))),
                2 => (ushort)((2 << 11) | (upper + 1)),
                _ => (ushort)((4 << 11) | (upper + 1)),
            };
        }
        return table;
    }

    /// <summary>Slop a wide copy may write past the element's end; kept inside the declared output.</summary>
    private const int Slop = 16;

    internal static Status Decompress(ReadOnlySpan<byte> compressed, Span<byte> destination, out int written)
    {
        written = 0;
        Status status = SnappyHeader.Read(compressed, out int length, out int headerSize);
        if (status != Status.Ok)
            return status;
        if (length > destination.Length)
            return LastError.Set(Status.BufferTooSmall,
                $"snappy: stream decompresses to {length} bytes; destination holds {destination.Length}");

        Fault fault;
        long inputOffset, outputOffset;
        fixed (byte* input = compressed)
        fixed (byte* output = destination)
        {
            byte* ip = input + headerSize;
            byte* op = output;
            fault = DecodeElements(ref ip, input + compressed.Length, ref op, output, output + length);
            inputOffset = ip - input;
            outputOffset = op - output;
        }
        if (fault != Fault.None)
            return LastError.Set(Status.Corrupted, Describe(fault, inputOffset, outputOffset, length));
        written = length;
        return Status.Ok;
    }

    private static string Describe(Fault fault, long inputOffset, long outputOffset, int length)
    {
        string what = fault switch
        {
            Fault.LiteralLengthTruncated => "literal length bytes run past the end of the input",
            Fault.LiteralPastInput => "literal runs past the end of the input",
            Fault.LiteralPastOutput => "literal runs past the declared uncompressed length",
            Fault.CopyTruncated => "copy element truncated (offset bytes missing)",
            Fault.ZeroOffset => "copy with offset 0",
            Fault.OffsetBeforeStart => "copy offset points before the start of the output",
            Fault.CopyPastOutput => "copy runs past the declared uncompressed length",
            Fault.OutputShort => "input ends before the declared uncompressed length is produced",
            _ => "unknown fault",
        };
        return $"snappy: corrupt stream: {what} (input byte {inputOffset}, output byte {outputOffset} of {length})";
    }

    private static Fault DecodeElements(ref byte* ipRef, byte* ipEnd, ref byte* opRef, byte* opBase, byte* opEnd)
    {
        byte* ip = ipRef;
        byte* op = opRef;
        Fault fault = Fault.None;
        while (ip < ipEnd)
        {
            uint tag = *ip;
            uint entry = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(ElementTable), (int)tag);
            nuint extra = entry >> 11;
            uint trailer;
            if (ipEnd - ip > 4)
            {
                // Four bytes follow the tag: one load and a mask get any element's trailer
                // without branching on its type.
                trailer = Unsafe.ReadUnaligned<uint>(ip + 1) & (uint)((1UL << (int)(8 * extra)) - 1);
            }
            else
            {
                if ((nuint)(ipEnd - ip - 1) < extra)
                {
                    fault = (tag & 3) == 0 ? Fault.LiteralLengthTruncated : Fault.CopyTruncated;
                    break;
                }
                trailer = 0;
                for (nuint i = 0; i < extra; i++)
                    trailer |= (uint)ip[1 + i] << (int)(8 * i);
            }
            ip += 1 + extra;
            nuint length = entry & 0xFF;

            if ((tag & 3) == 0)
            {
                if (extra != 0)
                {
                    length = (nuint)trailer + 1; // nuint is 64-bit here: 0xFFFFFFFF + 1 does not wrap
                }
                else if (length <= 16 && ipEnd - ip >= 16 && opEnd - op >= 16)
                {
                    // Short literal with room on both sides: one 16-byte move.
                    Copy16(op, ip);
                    op += length;
                    ip += length;
                    continue;
                }
                if ((nuint)(ipEnd - ip) < length)
                {
                    fault = Fault.LiteralPastInput;
                    break;
                }
                if ((nuint)(opEnd - op) < length)
                {
                    fault = Fault.LiteralPastOutput;
                    break;
                }
                Unsafe.CopyBlockUnaligned(op, ip, (uint)length);
                op += length;
                ip += length;
                continue;
            }

            nuint offset = (entry & 0x700) + (nuint)trailer;
            // offset - 1 wraps to nuint.MaxValue for 0, so one comparison rejects both a zero
            // offset and one reaching before the first output byte.
            if (offset - 1 >= (nuint)(op - opBase))
            {
                fault = offset == 0 ? Fault.ZeroOffset : Fault.OffsetBeforeStart;
                break;
            }
            nuint room = (nuint)(opEnd - op);
            if (room < length)
            {
                fault = Fault.CopyPastOutput;
                break;
            }
            byte* from = op - offset;
            if (offset >= 16 && room >= 64)
            {
                // Copies are at most 64 bytes long: two or four unconditional 16-byte moves,
                // each reading bytes at least 16 behind the ones it writes, which are final.
                Copy16(op, from);
                Copy16(op + 16, from + 16);
                if (length > 32)
                {
                    Copy16(op + 32, from + 32);
                    Copy16(op + 48, from + 48);
                }
                op += length;
                continue;
            }
            if (room >= length + Slop)
            {
                if (offset >= 16)
                {
                    // Every 16-byte block reads bytes at least 16 behind the block it writes,
                    // which are final by then; the last block's slop stays inside the output.
                    byte* d = op;
                    byte* end = op + length;
                    do
                    {
                        Copy16(d, from);
                        d += 16;
                        from += 16;
                    } while (d < end);
                }
                else if (offset >= 8)
                {
                    byte* d = op;
                    byte* end = op + length;
                    do
                    {
                        Copy8(d, from);
                        d += 8;
                        from += 8;
                    } while (d < end);
                }
                else
                {
                    CopyShortPattern(op, from, op + length);
                }
                op += length;
                continue;
            }

            // Near the end of the output: byte by byte, no slop.
            for (nuint i = 0; i < length; i++)
                op[i] = from[i];
            op += length;
        }
        if (fault == Fault.None && op != opEnd)
            fault = Fault.OutputShort;
        ipRef = ip;
        opRef = op;
        return fault;
    }

    /// <summary>
    /// A copy whose offset is under 8 repeats a pattern shorter than one 8-byte move. Copying
    /// 8 bytes from <paramref name="from"/> yields as many correct bytes as the current
    /// distance, and the distance grows each round while staying a multiple of the period,
    /// until plain 8-byte moves are safe. Writes at most 7 bytes past <paramref name="end"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShortPattern(byte* op, byte* from, byte* end)
    {
        while (op - from < 8)
        {
            Copy8(op, from);
            op += op - from;
            if (op >= end)
                return;
        }
        do
        {
            Copy8(op, from);
            op += 8;
            from += 8;
        } while (op < end);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy16(byte* destination, byte* source) =>
        Unsafe.WriteUnaligned(destination, Unsafe.ReadUnaligned<Vector128<byte>>(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy8(byte* destination, byte* source) =>
        Unsafe.WriteUnaligned(destination, Unsafe.ReadUnaligned<ulong>(source));
}
