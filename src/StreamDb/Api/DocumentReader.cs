using System.Buffers;
using StreamDb.Engine;
using StreamDb.Index;

namespace StreamDb;

/// <summary>
/// Streams one document version in chunks. The version is fixed when the reader is opened: it
/// stays readable (its pages are not reused) until the reader is disposed, even if the document
/// is overwritten or deleted meanwhile. Use from one thread at a time; dispose it.
/// </summary>
public sealed class DocumentReader : IDisposable
{
    /// <summary>Bytes per chunk returned by <see cref="Next"/>.</summary>
    public const int ChunkSize = 64 * 1024;
    private const int ReadAheadPages = 32;

    private readonly StorageEngine engine;
    private readonly DbState pinned;
    private readonly DocVersion version;
    private readonly bool quick;
    private byte[]? chunk;
    private bool disposed;

    internal DocumentReader(StorageEngine engine, DbState pinned, Guid id, DocVersion version, bool quick)
    {
        this.engine = engine;
        this.pinned = pinned;
        this.version = version;
        this.quick = quick;
        Id = id;
    }

    public Guid Id { get; }
    public long Length => version.Length;
    public long Version => version.Number;
    public long Position { get; private set; }

    /// <summary>Ok with the next chunk (valid until the next call or Dispose), or Done at the end.</summary>
    public Status Next(out ReadOnlySpan<byte> data)
    {
        data = default;
        if (disposed) return LastError.Set(Status.InvalidArgument, "the reader is closed");
        if (Position >= Length) return Status.Done;
        int n = (int)Math.Min(ChunkSize, Length - Position);
        chunk ??= ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var s = engine.Content.Read(Id, version, Position, chunk.AsSpan(0, n), quick, ReadAheadPages);
            if (s != Status.Ok) return s;
        }
        catch (Exception e) { return ErrorMapping.FromException(e); }
        data = chunk.AsSpan(0, n);
        Position += n;
        return Status.Ok;
    }

    /// <summary>Moves to <paramref name="offset"/> (at most Length).</summary>
    public Status Seek(long offset)
    {
        if (disposed) return LastError.Set(Status.InvalidArgument, "the reader is closed");
        if (offset < 0 || offset > Length) return LastError.Set(Status.InvalidArgument, $"offset {offset} is outside 0..{Length}");
        Position = offset;
        return Status.Ok;
    }

    /// <summary>Copies up to destination.Length bytes from <paramref name="offset"/> (does not move Position).</summary>
    public Status ReadAt(long offset, Span<byte> destination, out int copied)
    {
        copied = 0;
        if (disposed) return LastError.Set(Status.InvalidArgument, "the reader is closed");
        if (offset < 0) return LastError.Set(Status.InvalidArgument, "offset is negative");
        if (offset >= Length) return Status.Ok;
        int n = (int)Math.Min(destination.Length, Length - offset);
        try
        {
            var s = engine.Content.Read(Id, version, offset, destination[..n], quick, 0);
            if (s != Status.Ok) return s;
        }
        catch (Exception e) { return ErrorMapping.FromException(e); }
        copied = n;
        return Status.Ok;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (chunk is not null) ArrayPool<byte>.Shared.Return(chunk);
        chunk = null;
        engine.Unpin(pinned);
    }
}
