using System.Runtime.CompilerServices;
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
            uint tag = *ip++;
            nuint length;
            if ((tag & 3) == 0)
            {
                length = (tag >> 2) + 1;
                // Short literal with room on both sides: one 16-byte move, no length checks
                // beyond the two that make the over-read and over-write safe.
                if (length <= 16 && ipEnd - ip >= 16 && opEnd - op >= 16)
                {
                    Copy16(op, ip);
                    op += length;
                    ip += length;
                    continue;
                }
                if (length > 60)
                {
                    nuint extra = length - 60;
                    if ((nuint)(ipEnd - ip) < extra)
                    {
                        fault = Fault.LiteralLengthTruncated;
                        break;
                    }
                    uint raw = ip[0];
                    if (extra > 1) raw |= (uint)ip[1] << 8;
                    if (extra > 2) raw |= (uint)ip[2] << 16;
                    if (extra > 3) raw |= (uint)ip[3] << 24;
                    length = (nuint)raw + 1; // nuint is 64-bit here: 0xFFFFFFFF + 1 does not wrap
                    ip += extra;
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

            nuint offset;
            switch (tag & 3)
            {
                case 1:
                    if (ip >= ipEnd)
                    {
                        fault = Fault.CopyTruncated;
                        goto done;
                    }
                    length = ((tag >> 2) & 7) + 4;
                    offset = ((nuint)(tag >> 5) << 8) | *ip;
                    ip += 1;
                    break;
                case 2:
                    if (ipEnd - ip < 2)
                    {
                        fault = Fault.CopyTruncated;
                        goto done;
                    }
                    length = (tag >> 2) + 1;
                    offset = Unsafe.ReadUnaligned<ushort>(ip);
                    ip += 2;
                    break;
                default:
                    if (ipEnd - ip < 4)
                    {
                        fault = Fault.CopyTruncated;
                        goto done;
                    }
                    length = (tag >> 2) + 1;
                    offset = Unsafe.ReadUnaligned<uint>(ip);
                    ip += 4;
                    break;
            }

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
        done:
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
