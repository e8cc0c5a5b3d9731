using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Documents;

/// <summary>
/// Packs a batch's small documents (and, with <see cref="ChainTails"/>, the partly filled last
/// pages of longer ones; with <see cref="NextToChain"/> only into a pack page next to the
/// document's own pages) into shared pack pages, so that a batch of 100-byte documents takes
/// 116 bytes a document instead of a page each. Fragments go into the current pack page
/// in arrival order; a full page is written at once (outside any lock, into pages no committed
/// state references, like the documents' own pages). Every page stays the batch's until its
/// commit publishes the versions pointing into it, or the batch is abandoned and the pages go
/// back. Pack pages are never rewritten: a committed page only goes free, when the last version
/// with a fragment in it is collected. Use from one thread at a time (a batch's).
/// </summary>
internal sealed class TailPacker
{
    private readonly PageIO io;
    private readonly IPageAllocator allocator;
    private readonly uint stamp;
    private readonly List<Extent> pages = new();  // every page this packer took, in order
    private readonly List<Extent> scratch = new();
    private byte[]? page;                         // the current page, being filled
    private long pageId;                          // its id (0 = none)
    private int fill;                             // fragment bytes in it
    private string? failure;

    // mode: what is packed (never None: a database that packs nothing has no packer)
    public TailPacker(PageIO io, IPageAllocator allocator, ulong writeId, TailPacking mode)
    {
        if (mode == TailPacking.None) throw new ArgumentException("a packer packs something", nameof(mode));
        ChainTails = mode != TailPacking.SmallDocuments;
        NextToChain = mode == TailPacking.NextToChain;
        this.io = io;
        this.allocator = allocator;
        stamp = (uint)writeId;
    }

    /// <summary>Whether the last pages of longer documents are packed too, not only documents
    /// that fit in a fragment whole: that saves most of a page each, but a read of such a
    /// document then takes a second I/O (its chain, then its fragment).</summary>
    public bool ChainTails { get; }

    /// <summary>Whether a chain's tail goes only into a pack page right before the chain's first
    /// page or right after its last (<see cref="AddNextTo"/>), so that a read of the document
    /// reads chain and tail in one request.</summary>
    public bool NextToChain { get; }

    private int Capacity => io.PageSize - PageHeader.Size;

    /// <summary>Whether a last page holding <paramref name="dataLength"/> bytes is worth packing:
    /// its fragment fits in half a page, so at least two share one; a larger one would
    /// take a page of its own and cost a read more for nothing.</summary>
    public static bool Worth(int dataLength, int pageSize) =>
        TailFragment.SizeFor(dataLength) <= (pageSize - PageHeader.Size) / 2;

    /// <summary>Adds the tail of the version with <paramref name="writeId"/>; where it went is in
    /// <paramref name="where"/>. <paramref name="near"/>: a page to allocate a new pack page at
    /// when it is free (the page the tail would have taken), 0 for anywhere.</summary>
    public Status Add(ulong writeId, ReadOnlySpan<byte> data, long near, out TailRef where)
    {
        where = default;
        var check = CanAdd(data, out int size);
        if (check != Status.Ok) return check;
        if (pageId != 0 && fill + size > Capacity)
        {
            var s = Flush();
            if (s != Status.Ok) return s;
        }
        if (pageId == 0)
        {
            scratch.Clear();
            var s = allocator.Allocate(1, near, scratch);
            if (s != Status.Ok) return s;
            StartPage(scratch[0].Start);
        }
        where = Put(writeId, data);
        return Status.Ok;
    }

    /// <summary>
    /// Adds the tail of a chain (<see cref="NextToChain"/>) where a read finds it in the same
    /// request as the chain: into the current pack page when that page lies right before the
    /// chain's first page (<paramref name="chainFirst"/>, the chain being one run) and has room,
    /// else into <paramref name="ownPage"/>, the free page right after the chain that the tail
    /// would have taken, which becomes the current pack page (the current one is written).
    /// <paramref name="tookOwnPage"/>: whether <paramref name="ownPage"/> is now the packer's
    /// (else it is still the caller's to give back). Each pack page thus holds the tails of at
    /// most the document before it and the one after it, plus small documents held whole.
    /// </summary>
    public Status AddNextTo(ulong writeId, ReadOnlySpan<byte> data, long chainFirst, bool chainIsOneRun, long ownPage, out TailRef where, out bool tookOwnPage)
    {
        where = default;
        tookOwnPage = false;
        if (!NextToChain) throw new InvalidOperationException("this packer does not place tails next to their chains");
        var check = CanAdd(data, out int size);
        if (check != Status.Ok) return check;
        if (pageId == 0 || !chainIsOneRun || pageId != chainFirst - 1 || fill + size > Capacity)
        {
            var s = Flush();
            if (s != Status.Ok) return s;
            StartPage(ownPage);
            tookOwnPage = true;
        }
        where = Put(writeId, data);
        return Status.Ok;
    }

    private Status CanAdd(ReadOnlySpan<byte> data, out int size)
    {
        size = TailFragment.SizeFor(data.Length);
        if (failure is not null) return LastError.Set(Status.IOError, $"writing a pack page failed earlier: {failure}");
        if (!Worth(data.Length, io.PageSize)) throw new ArgumentException("tail too large to pack", nameof(data));
        return Status.Ok;
    }

    // frames the tail into the current page, which has room
    private TailRef Put(ulong writeId, ReadOnlySpan<byte> data)
    {
        TailFragment.Write(page!.AsSpan(PageHeader.Size + fill), writeId, data);
        var where = new TailRef(pageId, fill, data.Length);
        fill += TailFragment.SizeFor(data.Length);
        return where;
    }

    private void StartPage(long id)
    {
        pageId = id;
        if (pages.Count > 0 && pages[^1].End == pageId) pages[^1] = pages[^1] with { Count = pages[^1].Count + 1 };
        else pages.Add(new Extent(id, 1));
        page ??= new byte[io.PageSize];
        page.AsSpan().Clear();
        fill = 0;
    }

    /// <summary>Writes the current page (the batch commits next). A failure is kept: every later
    /// call, and the commit, fail with it, since tails already handed out may be in the lost page.</summary>
    public Status Flush()
    {
        if (failure is not null) return LastError.Set(Status.IOError, $"writing a pack page failed earlier: {failure}");
        if (pageId == 0) return Status.Ok;
        var p = page!.AsSpan();
        new PageHeader { Stamp = stamp, Kind = PageKind.Pack, DataLength = fill }.Write(p);
        PageCrc.StampData(p);
        try
        {
            io.WritePages(pageId, p);
        }
        catch (IOException e)
        {
            failure = e.Message;
            return LastError.Set(Status.IOError, $"writing a pack page failed: {e.Message}");
        }
        pageId = 0;
        fill = 0;
        return Status.Ok;
    }

    /// <summary>Gives every page back (the batch is abandoned; nothing published them).</summary>
    public void Abandon()
    {
        allocator.Release(pages);
        pages.Clear();
        pageId = 0;
    }

    /// <summary>The batch committed: every page now belongs to the versions pointing into it
    /// (each holds a fragment of a version the commit added; the engine counts them).</summary>
    public void Committed() => pages.Clear();
}
