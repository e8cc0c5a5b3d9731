using StreamDb.Storage;

namespace StreamDb.Tests.Support;

/// <summary>A memory device that counts read requests (a vectored read is one request, as it
/// is one system call on a file) and records every write, so tests can state how the engine
/// uses the device.</summary>
internal sealed class CountingDevice(IStorageDevice? inner = null) : IStorageDevice
{
    private readonly IStorageDevice inner = inner ?? new MemoryDevice();

    public int ReadRequests { get; private set; }
    public long BytesRead { get; private set; }

    /// <summary>Every write since the last reset: where it started and how many bytes it had.</summary>
    public List<(long Offset, int Length)> Writes { get; } = [];

    public void ResetCounts()
    {
        (ReadRequests, BytesRead) = (0, 0);
        Writes.Clear();
    }

    /// <summary>Reads bytes as they are on the device, without counting the read.</summary>
    public void Peek(long offset, Span<byte> buffer) => inner.Read(offset, buffer);

    public long Length => inner.Length;
    public bool IsPersistent => inner.IsPersistent;

    public void Read(long offset, Span<byte> buffer)
    {
        ReadRequests++;
        BytesRead += buffer.Length;
        inner.Read(offset, buffer);
    }

    public void ReadScatter(long offset, ReadOnlySpan<IoSegment> segments)
    {
        ReadRequests++;
        foreach (var s in segments)
        {
            BytesRead += s.Length;
            inner.Read(offset, s.AsSpan());
            offset += s.Length;
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        lock (Writes) Writes.Add((offset, data.Length));
        inner.Write(offset, data);
    }
    public void Sync() => inner.Sync();
    public void SetLength(long length) => inner.SetLength(length);
    public void Dispose() => inner.Dispose();
}
