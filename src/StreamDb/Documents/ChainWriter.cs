using StreamDb.Index;
using System.Buffers;
using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Documents;

/// <summary>
/// Writes one document version as a chain of data pages, from data that arrives in pieces of
/// any size (its length need not be known in advance). Pages are built in place in a staging
/// buffer and written in runs of consecutive pages, so a contiguous allocation becomes a few
/// large writes. The first page is kept back: it carries the document id and version number,
/// which are only settled at commit, and is written by <see cref="WriteFirstPage"/>.
/// </summary>
internal sealed class ChainWriter : IDisposable
{
    private const int StagingPages = 32;
    private const int MaxReserve = 256;
    private const int WriteThroughPages = 8;

    private readonly PageIO io;
    private readonly IPageAllocator allocator;
    private readonly ChainGeometry geometry;
    private readonly byte[] firstPage;
    private readonly byte[] staging;
    private readonly List<Extent> reserved = new();   // allocated, not yet used, in order
    private readonly List<Extent> chain = new();      // used, in chain order
    private readonly uint stamp;
    private long reservedOffset;                       // pages of reserved[0] already used
    private long nextReserve;
    private long runStart;                             // first page id of the staged run
    private int runCount;                              // finished pages in the staging buffer
    private long currentId;
    private long previousId;
    private long pageIndex = -1;
    private int fill;                                  // payload bytes in the current page
    private long length;
    private bool finished;
    private bool dead;

    /// <remarks>The document's size limit is the encoder's to enforce (it counts uncompressed bytes).</remarks>
    public ChainWriter(PageIO io, IPageAllocator allocator, ulong writeId, long expectedLength = -1)
    {
        this.io = io;
        this.allocator = allocator;
        geometry = new ChainGeometry(io.PageSize);
        WriteId = writeId;
        stamp = (uint)writeId;
        firstPage = ArrayPool<byte>.Shared.Rent(io.PageSize);
        staging = ArrayPool<byte>.Shared.Rent(io.PageSize * StagingPages);
        nextReserve = expectedLength >= 0 ? geometry.PagesFor(expectedLength) : 4;
    }

    public ulong WriteId { get; }

    public long Length => length;

    private Span<byte> CurrentPage => pageIndex == 0
        ? firstPage.AsSpan(0, io.PageSize)
        : staging.AsSpan(runCount * io.PageSize, io.PageSize);

    private int CurrentCapacity => pageIndex == 0 ? geometry.FirstCapacity : geometry.Capacity;

    public Status Append(ReadOnlySpan<byte> data)
    {
        if (dead || finished) return LastError.Set(Status.InvalidArgument, "the writer is finished");
        try
        {
            if (pageIndex < 0 && StartPage() is var s0 && s0 != Status.Ok) return Fail(s0);
            while (data.Length > 0)
            {
                if (fill == CurrentCapacity)
                {
                    var s = Advance();
                    if (s != Status.Ok) return Fail(s);
                }
                int n = Math.Min(data.Length, CurrentCapacity - fill);
                data[..n].CopyTo(CurrentPage[(geometry.PayloadOffset(pageIndex) + fill)..]);
                fill += n;
                length += n;
                data = data[n..];
            }
            return Status.Ok;
        }
        catch (IOException e)
        {
            return Fail(LastError.Set(Status.IOError, $"writing document pages failed: {e.Message}"));
        }
    }

    private long logicalLength = -1;

    /// <summary>Writes every page but the first and returns the chain. The unused reserve is released.
    /// <paramref name="logical"/> is the length readers get (the stored bytes may be compressed).</summary>
    public Status Finish(long logical, uint flags, long[]? chunks, out PreparedChain? prepared)
    {
        prepared = null;
        if (dead || finished) return LastError.Set(Status.InvalidArgument, "the writer is finished");
        try
        {
            if (pageIndex < 0 && StartPage() is var s0 && s0 != Status.Ok) return Fail(s0);
            CompletePage(0);
            FlushStaging();
        }
        catch (IOException e)
        {
            return Fail(LastError.Set(Status.IOError, $"writing document pages failed: {e.Message}"));
        }
        finished = true;
        ReleaseReserve();
        logicalLength = logical;
        prepared = new PreparedChain(logical, length, WriteId, flags, chain.ToArray(), chunks);
        return Status.Ok;
    }

    /// <summary>Stamps the document header into the held-back first page and writes it.</summary>
    public void WriteFirstPage(Guid id, long number)
    {
        var page = firstPage.AsSpan(0, io.PageSize);
        new DocumentHeader(id, number, logicalLength, length, WriteId).Write(page[PageHeader.Size..]);
        Crc32C.Stamp(page);
        io.WritePages(chain[0].Start, page, keepInCache: true);
    }

    /// <summary>Gives every page back (the write is abandoned or failed before commit).</summary>
    public void Abandon()
    {
        if (dead) return;
        dead = true;
        ReleaseReserve();
        allocator.Release(chain);
        chain.Clear();
    }

    private Status Fail(Status s)
    {
        Abandon();
        return s;
    }

    private Status StartPage()
    {
        var s = TakeId(out long id);
        if (s != Status.Ok) return s;
        pageIndex++;
        previousId = currentId;
        currentId = id;
        fill = 0;
        if (pageIndex > 0)
        {
            if (runCount > 0 && (id != runStart + runCount || runCount == StagingPages)) FlushStaging();
            if (runCount == 0) runStart = id;
        }
        return Status.Ok;
    }

    private Status Advance()
    {
        var s = PeekId(out long nextId);
        if (s != Status.Ok) return s;
        CompletePage(nextId);
        return StartPage();
    }

    private void CompletePage(long nextId)
    {
        var page = CurrentPage;
        int payloadOffset = geometry.PayloadOffset(pageIndex);
        page[(payloadOffset + fill)..].Clear(); // never leak a recycled buffer's bytes
        new PageHeader
        {
            Stamp = stamp,
            Prev = pageIndex == 0 ? 0 : (ulong)previousId,
            Next = (ulong)nextId,
            Kind = PageKind.Data,
            Flags = pageIndex == 0 ? PageFlags.First : PageFlags.None,
            DataLength = fill,
        }.Write(page);
        if (pageIndex == 0) return; // stamped and written at commit, with the document header
        Crc32C.Stamp(page);
        runCount++;
    }

    private void FlushStaging()
    {
        if (runCount == 0) return;
        // Small documents are written through the cache; large ones would only evict it.
        io.WritePages(runStart, staging.AsSpan(0, runCount * io.PageSize), keepInCache: chain.Count == 1 && chain[0].Count <= WriteThroughPages);
        runStart += runCount;
        runCount = 0;
    }

    private Status PeekId(out long id)
    {
        id = 0;
        if (reserved.Count == 0)
        {
            var s = Reserve();
            if (s != Status.Ok) return s;
        }
        id = reserved[0].Start + reservedOffset;
        return Status.Ok;
    }

    private Status TakeId(out long id)
    {
        var s = PeekId(out id);
        if (s != Status.Ok) return s;
        if (++reservedOffset == reserved[0].Count)
        {
            reserved.RemoveAt(0);
            reservedOffset = 0;
        }
        if (chain.Count > 0 && chain[^1].End == id) chain[^1] = chain[^1] with { Count = chain[^1].Count + 1 };
        else chain.Add(new Extent(id, 1));
        return Status.Ok;
    }

    private Status Reserve()
    {
        long want = Math.Clamp(nextReserve, 1, MaxReserve);
        nextReserve = Math.Min(want * 2, MaxReserve);
        long preferred = chain.Count > 0 ? chain[^1].End : 0;
        var s = allocator.Allocate(want, preferred, reserved);
        if (s != Status.Ok) return s;
        return Status.Ok;
    }

    private void ReleaseReserve()
    {
        if (reserved.Count == 0) return;
        if (reservedOffset > 0) reserved[0] = new Extent(reserved[0].Start + reservedOffset, reserved[0].Count - reservedOffset);
        allocator.Release(reserved);
        reserved.Clear();
        reservedOffset = 0;
    }

    public void Dispose()
    {
        if (!finished) Abandon();
        ArrayPool<byte>.Shared.Return(firstPage);
        ArrayPool<byte>.Shared.Return(staging);
    }
}
