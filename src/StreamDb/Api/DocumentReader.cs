using StreamDb.Engine;
using StreamDb.Index;
using StreamDb.Util;

namespace StreamDb;

/// <summary>
/// Streams one document version in chunks. The version is fixed when the reader is opened: it
/// stays readable (its pages are not reused) until the reader is disposed, even if the document
/// is overwritten or deleted meanwhile. Use from one thread at a time; dispose it.
/// </summary>
/// <remarks>
/// The reader reads ahead into its own window: the first fill is one chunk (so the first chunk
/// comes quickly), later fills double up to <see cref="MaxWindow"/> bytes, each one vectored
/// read of consecutive pages straight into the window, cut at page boundaries so no page is
/// read twice. Chunks are slices of the window: no copy between the device and the caller. The
/// window is pinned memory, so the C layer hands out its address as is.
/// </remarks>
public sealed class DocumentReader : IDisposable
{
    /// <summary>The most bytes a chunk returned by <see cref="Next"/> holds.</summary>
    public const int ChunkSize = 64 * 1024;
    private const int MaxWindow = 256 * 1024;

    private readonly StorageEngine engine;
    private readonly DbState pinned;
    private readonly DocVersion version;
    private readonly bool quick;
    private byte[]? window;
    private long windowStart;
    private int windowLength;
    private int nextFill = ChunkSize;
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

    /// <summary>Ok with the next chunk of 1 to <see cref="ChunkSize"/> bytes (valid, and at a
    /// fixed address, until the next call or Dispose), or Done at the end.</summary>
    public Status Next(out ReadOnlySpan<byte> data)
    {
        data = default;
        if (disposed) return LastError.Set(Status.InvalidArgument, "the reader is closed");
        if (Position >= Length) return Status.Done;
        if (Position < windowStart || Position >= windowStart + windowLength)
        {
            try
            {
                var s = Fill();
                if (s != Status.Ok) return s;
            }
            catch (Exception e) { return ErrorMapping.FromException(e); }
        }
        int within = (int)(Position - windowStart);
        int n = Math.Min(ChunkSize, windowLength - within);
        data = window.AsSpan(within, n);
        Position += n;
        return Status.Ok;
    }

    private Status Fill()
    {
        windowLength = 0;
        long end = Math.Min(Length, Position + nextFill);
        if (end < Length) end = Math.Max(AlignDown(end), Math.Min(Length, Position + ChunkSize));
        int n = (int)(end - Position);
        window ??= PinnedBuffers.Rent((int)Math.Min(Length, MaxWindow));
        var s = engine.Content.Read(Id, in version.Info, Position, window.AsSpan(0, n), quick);
        if (s != Status.Ok) return s;
        windowStart = Position;
        windowLength = n;
        nextFill = Math.Min(MaxWindow, nextFill * 2);
        return Status.Ok;
    }

    /// <summary>The last boundary at or before <paramref name="position"/> of a page (raw) or a
    /// compression chunk, whichever the version's bytes are stored in.</summary>
    private long AlignDown(long position)
    {
        if (version.IsCompressed) return position / DocVersion.ChunkSize * DocVersion.ChunkSize;
        var g = engine.Reader.Geometry;
        var (_, within) = g.Locate(position);
        return position - within;
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
            var s = engine.Content.Read(Id, in version.Info, offset, destination[..n], quick);
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
        if (window is not null) PinnedBuffers.Return(window);
        window = null;
        engine.Unpin(pinned);
    }
}
