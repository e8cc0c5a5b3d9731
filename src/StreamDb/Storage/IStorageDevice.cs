namespace StreamDb.Storage;

/// <summary>
/// The bottom layer: a flat, growable array of bytes with positional reads and writes and a
/// durability barrier. Everything above it speaks in pages; this layer knows nothing of them.
/// Implementations throw <see cref="IOException"/> when the medium refuses an operation.
/// Reads, writes and syncs may be called from several threads at once.
/// </summary>
internal interface IStorageDevice : IDisposable
{
    /// <summary>Current length of the medium in bytes.</summary>
    long Length { get; }

    /// <summary>True when the medium keeps data across a restart (a file).</summary>
    bool IsPersistent { get; }

    /// <summary>Reads <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; bytes past the end read as zero.</summary>
    void Read(long offset, Span<byte> buffer);

    /// <summary>Reads consecutive bytes at <paramref name="offset"/> into several buffers in
    /// order (a vectored read: page headers to scratch space and payloads straight into the
    /// caller's buffer, in one request). Same zero-past-the-end rule as <see cref="Read"/>.</summary>
    void ReadScatter(long offset, ReadOnlySpan<IoSegment> segments)
    {
        foreach (var s in segments)
        {
            Read(offset, s.AsSpan());
            offset += s.Length;
        }
    }

    void Write(long offset, ReadOnlySpan<byte> data);

    /// <summary>Returns when everything written before the call is durable.</summary>
    void Sync();

    void SetLength(long length);
}
