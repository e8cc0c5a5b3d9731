using System.Runtime.InteropServices;

namespace StreamDb.Cli;

/// <summary>An unbuffered, unseekable stream over an inherited file descriptor, using plain
/// read(2)/write(2) so the descriptor's shared offset moves as the shell expects.</summary>
internal sealed unsafe class FdStream(int fd, bool writable) : Stream
{
    public override bool CanRead => !writable;
    public override bool CanWrite => writable;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = Libc.Read(fd, p, buffer.Length);
                if (n >= 0)
                    return (int)n;
                var errno = Marshal.GetLastPInvokeError();
                if (!Retry(errno))
                    throw new IOException($"cannot read from file descriptor {fd}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            var p = start;
            var left = (nint)buffer.Length;
            while (left > 0)
            {
                var n = Libc.Write(fd, p, left);
                if (n >= 0)
                {
                    p += n;
                    left -= n;
                    continue;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EPIPE)
                    throw new OutputClosedException();
                if (!Retry(errno))
                    throw new IOException($"cannot write to file descriptor {fd}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }

    // A descriptor inherited in non-blocking mode reports EAGAIN instead of waiting.
    private static bool Retry(int errno)
    {
        if (errno == Libc.EAGAIN)
            Thread.Sleep(1);
        return errno is Libc.EINTR or Libc.EAGAIN;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
