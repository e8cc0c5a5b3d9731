using System.Runtime.InteropServices;

namespace StreamDb.Storage;

/// <summary>
/// One buffer of a vectored read: laid out as POSIX struct iovec (pointer, size_t) so an array
/// of them goes to preadv(2) as is. The memory must stay pinned for the duration of the call.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly unsafe struct IoSegment(byte* start, int length)
{
    public readonly byte* Start = start;
    public readonly nint Length = length;

    public Span<byte> AsSpan() => new(Start, (int)Length);
}
