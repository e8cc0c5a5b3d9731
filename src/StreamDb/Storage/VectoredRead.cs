using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StreamDb.Storage;

/// <summary>
/// preadv(2) on Linux: one system call fills every segment, so a chain's payloads land straight
/// in the caller's buffer without a bounce through a page buffer. Elsewhere, or if libc cannot
/// be bound, or on a short read (end of file), the remaining segments are read one by one.
/// </summary>
internal static unsafe partial class VectoredRead
{
    private const int EINTR = 4;
    private const int MaxSegmentsPerCall = 1024; // IOV_MAX on Linux
    private static bool usePreadv = OperatingSystem.IsLinux();

    public static void Read(SafeFileHandle handle, long offset, ReadOnlySpan<IoSegment> segments, IStorageDevice fallback)
    {
        while (segments.Length > 0 && usePreadv)
        {
            int count = Math.Min(segments.Length, MaxSegmentsPerCall);
            long wanted = 0;
            for (int i = 0; i < count; i++) wanted += segments[i].Length;
            long got;
            try
            {
                got = Call(handle, offset, segments[..count]);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                usePreadv = false;
                break;
            }
            if (got < wanted)
            {
                // a short read (end of file): skip what arrived, let plain reads zero-fill the rest
                while (got > 0 && got >= segments[0].Length)
                {
                    got -= segments[0].Length;
                    offset += segments[0].Length;
                    segments = segments[1..];
                }
                if (got > 0)
                {
                    var first = segments[0];
                    fallback.Read(offset + got, new Span<byte>(first.Start + got, (int)(first.Length - got)));
                    offset += first.Length;
                    segments = segments[1..];
                }
                break;
            }
            offset += wanted;
            segments = segments[count..];
        }
        foreach (var s in segments)
        {
            fallback.Read(offset, s.AsSpan());
            offset += s.Length;
        }
    }

    private static long Call(SafeFileHandle handle, long offset, ReadOnlySpan<IoSegment> segments)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (IoSegment* iov = segments)
            {
                while (true)
                {
                    nint n = preadv((int)handle.DangerousGetHandle(), iov, segments.Length, offset);
                    if (n >= 0) return n;
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno != EINTR) throw new IOException($"preadv failed (errno {errno})", errno);
                }
            }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial nint preadv(int fd, IoSegment* iov, int iovcnt, long offset);
}
