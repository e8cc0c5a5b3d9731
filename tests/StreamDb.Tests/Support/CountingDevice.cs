using StreamDb.Storage;

namespace StreamDb.Tests.Support;

/// <summary>A memory device that counts read requests (a vectored read is one request, as it
/// is one system call on a file), so tests can state how a read path uses the device.</summary>
internal sealed class CountingDevice : IStorageDevice
{
    private readonly MemoryDevice inner = new();

    public int ReadRequests { get; private set; }
    public long BytesRead { get; private set; }

    public void ResetCounts() => (ReadRequests, BytesRead) = (0, 0);

    public long Length => inner.Length;
    public bool IsPersistent => false;

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

    public void Write(long offset, ReadOnlySpan<byte> data) => inner.Write(offset, data);
    public void Sync() { }
    public void SetLength(long length) => inner.SetLength(length);
    public void Dispose() => inner.Dispose();
}
