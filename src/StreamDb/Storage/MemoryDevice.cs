namespace StreamDb.Storage;

/// <summary>
/// A device in managed memory, in 1 MiB segments so growth never copies what is stored.
/// Used by in-memory databases and as the medium under <see cref="FaultInjectingDevice"/>.
/// </summary>
internal sealed class MemoryDevice : IStorageDevice
{
    private const int SegmentShift = 20;
    private const int SegmentSize = 1 << SegmentShift;
    private readonly object gate = new();
    private byte[]?[] segments = new byte[]?[16];
    private long length;

    public MemoryDevice() { }

    public MemoryDevice(ReadOnlySpan<byte> image)
    {
        Write(0, image);
    }

    public long Length { get { lock (gate) return length; } }

    public bool IsPersistent => false;

    public void Read(long offset, Span<byte> buffer)
    {
        lock (gate)
        {
            while (buffer.Length > 0)
            {
                int seg = (int)(offset >> SegmentShift);
                int within = (int)(offset & (SegmentSize - 1));
                int n = Math.Min(buffer.Length, SegmentSize - within);
                byte[]? s = seg < segments.Length ? segments[seg] : null;
                long available = Math.Max(0, length - offset);
                int fromData = (int)Math.Min(n, available);
                if (s is null || fromData <= 0) buffer[..n].Clear();
                else
                {
                    s.AsSpan(within, fromData).CopyTo(buffer);
                    buffer[fromData..n].Clear();
                }
                buffer = buffer[n..];
                offset += n;
            }
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        lock (gate)
        {
            long end = offset + data.Length;
            while (data.Length > 0)
            {
                int seg = (int)(offset >> SegmentShift);
                int within = (int)(offset & (SegmentSize - 1));
                int n = Math.Min(data.Length, SegmentSize - within);
                if (seg >= segments.Length) Array.Resize(ref segments, Math.Max(seg + 1, segments.Length * 2));
                byte[] s = segments[seg] ??= new byte[SegmentSize];
                data[..n].CopyTo(s.AsSpan(within));
                data = data[n..];
                offset += n;
            }
            if (end > length) length = end;
        }
    }

    public void Sync() { }

    public void SetLength(long newLength)
    {
        lock (gate)
        {
            if (newLength < length)
            {
                // Zero what is cut so that growing again reads zeros, as a file would.
                long pos = newLength;
                while (pos < length)
                {
                    int seg = (int)(pos >> SegmentShift);
                    int within = (int)(pos & (SegmentSize - 1));
                    int n = (int)Math.Min(length - pos, SegmentSize - within);
                    if (seg < segments.Length && segments[seg] is { } s) s.AsSpan(within, n).Clear();
                    pos += n;
                }
            }
            length = newLength;
        }
    }

    /// <summary>A copy of the whole medium (tests take crash images with it).</summary>
    public byte[] ToArray()
    {
        lock (gate)
        {
            var image = new byte[length];
            Read(0, image);
            return image;
        }
    }

    public void Dispose() { }
}
