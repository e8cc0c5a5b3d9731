using StreamDb.Index;
using System.Buffers;
using System.Buffers.Binary;
using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Documents;

/// <summary>
/// Writes one document version as a chain of data pages, from data that arrives in pieces of
/// any size (its length need not be known in advance). Pages are built in place in a staging
/// buffer and written in runs of consecutive pages, so a contiguous allocation becomes a few
/// large writes. The first page is kept back: it carries the document id and version number,
/// which are only settled at commit, and is written by <see cref="WriteFirstPage"/> (or early,
/// with a guess, by <see cref="WriteAhead"/>). A small chain (up to <see cref="HeldPages"/>
/// pages in one run) is held back whole and written in one device write, first page and the
/// rest together; when the page after it is free it is kept as a slot for the commit's journal
/// page, so a single-document commit writes its data and index as one contiguous region (see
/// docs/ARCHITECTURE.md, "Commits").
/// </summary>
internal sealed class ChainWriter : IDisposable
{
    // One buffer: the first page, a run of up to 32 pages, and room for a journal page after a
    // held chain. Runs of 32 pages (256 KiB) keep a large document's writes bulk writes: with
    // 30, a 1 MiB document ended in an 8-page run, small enough for the file device to
    // zero-fill a growth step ahead of it, and durable 1 MiB writes lost 12%.
    private const int RunPages = 32;
    private const int BufferPages = RunPages + 2;
    private const int MaxReserve = 256;
    private const int WriteThroughPages = 8;
    /// <summary>Chains up to this many pages are held back whole and written in one write.</summary>
    public const int HeldPages = 8;

    private readonly PageIO io;
    private readonly IPageAllocator allocator;
    private readonly ChainGeometry geometry;
    private byte[] buffer;                             // the first page, then the staging run
    private readonly int pageSize;
    private readonly bool journalSlot;
    private readonly TailPacker? packer;
    private readonly long slotWant = -1;               // the first reserve when it includes a journal page
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
    private bool flushedAny;                           // some run went to the device before commit
    private bool held;                                 // the whole chain waits in the buffer for commit
    private long slotId;                               // a free page right after the held chain (0 = none)
    private bool firstOnDeviceOnly;                    // written ahead and its buffer given back (see WriteAhead)
    private bool writtenAhead;                         // the held data pages are on the device, stamped with:
    private Guid aheadId;
    private long aheadNumber;

    /// <remarks>The document's size limit is the encoder's to enforce (it counts uncompressed bytes).
    /// journalSlot: the chain is committed alone (not in a batch), so a free page after a small
    /// chain is kept for the commit's journal page.
    /// packer: the chain is part of a batch, whose packer takes a small last page (see <see cref="TailPacker"/>).</remarks>
    public ChainWriter(PageIO io, IPageAllocator allocator, ulong writeId, long expectedLength = -1, bool journalSlot = false, TailPacker? packer = null)
    {
        if (journalSlot && packer is not null) throw new ArgumentException("a chain committed alone has no packer");
        this.journalSlot = journalSlot;
        this.packer = packer;
        this.io = io;
        this.allocator = allocator;
        geometry = new ChainGeometry(io.PageSize);
        WriteId = writeId;
        stamp = (uint)writeId;
        pageSize = io.PageSize;
        buffer = ArrayPool<byte>.Shared.Rent(pageSize * BufferPages);
        // A small chain committed alone asks one page more in the same allocation, so that the
        // commit's journal page follows its data (the page goes back if the journal does not use it).
        nextReserve = expectedLength < 0 ? 4
            : geometry.PagesFor(expectedLength) is var n && journalSlot && n <= HeldPages ? slotWant = n + 1 : n;
    }

    public ulong WriteId { get; }

    public long Length => length;

    /// <summary>Bytes of buffer this writer holds (none once its first page went out alone: see <see cref="WriteAhead"/>).</summary>
    internal int HeldBytes => buffer.Length;

    private Span<byte> CurrentPage => pageIndex == 0
        ? buffer.AsSpan(0, pageSize)
        : buffer.AsSpan((1 + runCount) * pageSize, pageSize);

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
        TailRef tail = default;
        try
        {
            if (pageIndex < 0 && StartPage() is var s0 && s0 != Status.Ok) return Fail(s0);
            var sp = PackTail(out tail);
            if (sp != Status.Ok) return Fail(sp);
            if (!tail.IsPresent) CompletePage(0);
            // Held back whole when the chain is one run right after the first page and is
            // committed alone: written in one write, its journal page right after it. Chains of
            // a batch are written now: the batch keeps every writer until its commit, and a
            // batch of 100,000 small documents held back whole ran out of memory.
            held = journalSlot && !flushedAny && 1 + runCount <= HeldPages && (runCount == 0 || runStart == chain[0].Start + 1);
            if (!held) FlushStaging();
        }
        catch (IOException e)
        {
            return Fail(LastError.Set(Status.IOError, $"writing document pages failed: {e.Message}"));
        }
        finished = true;
        if (held) KeepSlot(); else KeepOnlyFirstPage();
        ReleaseReserve();
        logicalLength = logical;
        if (tail.IsPresent) flags |= DocVersion.PackedTailFlag;
        prepared = new PreparedChain(logical, length, WriteId, flags, chain.ToArray(), chunks, tail);
        return Status.Ok;
    }

    /// <summary>Stamps the document header into the held-back first page and writes what is held.</summary>
    public void WriteFirstPage(Guid id, long number)
    {
        StampFirstPage(id, number);
        WriteHeld(journalInSlot: false);
    }

    /// <summary>Stamps the document header into the held-back first page (at commit, once id and
    /// number are settled). When the page went out early with this very id and number
    /// (<see cref="WriteAhead"/>) there is nothing left to do; with another, it is stamped again
    /// and <see cref="WriteHeld"/> writes it again.</summary>
    public void StampFirstPage(Guid id, long number)
    {
        if (chain.Count == 0) return; // held whole in its packed tail
        if (writtenAhead && id == aheadId && number == aheadNumber) return;
        if (firstOnDeviceOnly) ReadFirstPageBack();
        writtenAhead = false;
        var page = buffer.AsSpan(0, pageSize);
        new DocumentHeader(id, number, logicalLength, length, WriteId).Write(page[PageHeader.Size..]);
        PageCrc.StampData(page);
    }

    /// <summary>
    /// Stamps the held first page with the id and number the commit will most likely give it and
    /// writes the held data pages now, before the commit lock is taken: the commit then writes
    /// only its journal page, and commits from several threads stop queueing behind each other's
    /// data writes. The guess is wrong only when another commit to the same document comes
    /// first (or a batch writes the same path again); the commit then stamps and writes the
    /// first page again. Writing early is as safe
    /// as writing the rest of a chain early: until the commit, no state uses these pages.
    /// A first page written alone (not held back with its chain: a batch's, or a long
    /// document's) then gives its buffer back, so that a pending writer holds no page: a batch
    /// of 30,000 documents of 10 KB held 310 MB until its commit. A wrong guess reads it back.
    /// </summary>
    public Status WriteAhead(Guid id, long number)
    {
        if (chain.Count == 0 || !finished || dead) return Status.Ok;
        StampFirstPage(id, number);
        int dataPages = held ? 1 + runCount : 1;
        try
        {
            io.WritePages(chain[0].Start, buffer.AsSpan(0, dataPages * pageSize), cachedPages: dataPages);
        }
        catch (IOException e)
        {
            return Fail(LastError.Set(Status.IOError, $"writing document pages failed: {e.Message}"));
        }
        (writtenAhead, aheadId, aheadNumber) = (true, id, number);
        if (!held)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
            firstOnDeviceOnly = true;
        }
        return Status.Ok;
    }

    // A guess that turned out wrong: the first page is stamped again from what was written. It
    // is checked first, so that bytes the device damaged meanwhile do not get a valid CRC.
    private void ReadFirstPageBack()
    {
        var page = ArrayPool<byte>.Shared.Rent(pageSize);
        buffer = page;
        firstOnDeviceOnly = false;
        io.ReadPages(chain[0].Start, page.AsSpan(0, pageSize));
        if (!PageCrc.Check(page.AsSpan(0, pageSize)))
            throw new IOException($"the first page of a chain, written ahead to page {chain[0].Start}, read back damaged");
    }

    /// <summary>The free page right after a held chain and the buffer the commit may build its
    /// journal page in; false when there is none. Used only between Finish and WriteHeld.</summary>
    public bool TryJournalSlot(out long pageId, out Span<byte> page)
    {
        pageId = slotId;
        page = slotId == 0 ? default : buffer.AsSpan((1 + runCount) * pageSize, pageSize);
        return slotId != 0;
    }

    /// <summary>Writes the held pages in one device write: the first page (stamped), the rest of a
    /// held chain, and with <paramref name="journalInSlot"/> the journal page built in the slot
    /// (which then belongs to the index). An unused slot goes back to the free space.</summary>
    public void WriteHeld(bool journalInSlot)
    {
        if (chain.Count == 0) return; // held whole in its packed tail (never with a journal slot: batches only)
        int dataPages = held ? 1 + runCount : 1;
        if (journalInSlot && slotId == 0) throw new InvalidOperationException("no journal slot");
        if (!writtenAhead)
        {
            int total = dataPages + (journalInSlot ? 1 : 0);
            io.WritePages(chain[0].Start, buffer.AsSpan(0, total * pageSize), cachedPages: dataPages);
        }
        else if (journalInSlot) io.WritePages(slotId, buffer.AsSpan(dataPages * pageSize, pageSize), cachedPages: 0);
        if (held) runCount = 0;
        if (!journalInSlot) ReleaseSlot();
        slotId = 0;
    }

    // What waits for the commit is the first page alone: the staging buffer (34 pages) goes
    // back to the pool instead of staying with every pending writer of a batch.
    private void KeepOnlyFirstPage()
    {
        var first = ArrayPool<byte>.Shared.Rent(pageSize);
        buffer.AsSpan(0, pageSize).CopyTo(first);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = first;
    }

    // The page after the chain: reserved with it, or else taken when it happens to be free.
    private void KeepSlot()
    {
        long next = chain[^1].End;
        if (reserved.Count > 0 && reserved[0].Start + reservedOffset == next)
        {
            slotId = next;
            if (++reservedOffset == reserved[0].Count)
            {
                reserved.RemoveAt(0);
                reservedOffset = 0;
            }
            return;
        }
        if (allocator.TryAllocatePage(next)) slotId = next;
    }

    private void ReleaseSlot()
    {
        if (slotId == 0) return;
        allocator.Release([new Extent(slotId, 1)]);
        slotId = 0;
    }

    /// <summary>Gives every page back (the write is abandoned or failed before commit).</summary>
    public void Abandon()
    {
        if (dead) return;
        dead = true;
        ReleaseReserve();
        ReleaseSlot();
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
            if (runCount > 0 && (id != runStart + runCount || runCount == RunPages)) FlushStaging();
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

    /// <summary>
    /// Hands a small, partly filled last page to the batch's packer instead of writing it: its
    /// page goes back, and the page before it (still in the buffer, not yet written) becomes the
    /// chain's last. A document that fits in its first page is then held whole in the fragment
    /// and has no chain. Not packed: a full last page, a tail too large to share a page, or a
    /// chain whose page before the last already went to the device (its link names the last).
    /// </summary>
    private Status PackTail(out TailRef tail)
    {
        tail = default;
        if (packer is null || fill == CurrentCapacity || !TailPacker.Worth(fill, pageSize)) return Status.Ok;
        if (pageIndex > 0 && !packer.ChainTails) return Status.Ok;
        if (pageIndex > 1 && runCount == 0) return Status.Ok;
        if (chain[^1].Count == 1) chain.RemoveAt(chain.Count - 1);
        else chain[^1] = chain[^1] with { Count = chain[^1].Count - 1 };
        var data = CurrentPage.Slice(geometry.PayloadOffset(pageIndex), fill);
        Status s;
        if (packer.NextToChain && pageIndex > 0)
        {
            // The tail's own page, right after the chain, becomes the pack page unless the
            // current one lies right before the chain; either way chain and tail read as one run.
            // On failure the page goes back and the writer is abandoned without it.
            s = packer.AddNextTo(WriteId, data, chain[0].Start, chain.Count == 1, currentId, out tail, out bool took);
            if (!took) allocator.Release([new Extent(currentId, 1)]);
        }
        else
        {
            // The page goes back first, so that a new pack page can take it (it is where the tail
            // would have been). On failure the writer is abandoned without it.
            allocator.Release([new Extent(currentId, 1)]);
            s = packer.Add(WriteId, data, currentId, out tail);
        }
        if (s != Status.Ok) return s;
        pageIndex--;
        if (pageIndex == 0)
        {
            // the first page: its header goes out at commit, with the document header
            BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(16), 0);
        }
        else if (pageIndex > 0)
        {
            var last = buffer.AsSpan(runCount * pageSize, pageSize);
            BinaryPrimitives.WriteUInt64LittleEndian(last[16..], 0);
            PageCrc.StampData(last);
        }
        return Status.Ok;
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
        PageCrc.StampData(page);
        runCount++;
    }

    private void FlushStaging()
    {
        if (runCount == 0) return;
        // Small documents are written through the cache; large ones would only evict it.
        io.WritePages(runStart, buffer.AsSpan(pageSize, runCount * pageSize), keepInCache: chain.Count == 1 && chain[0].Count <= WriteThroughPages);
        flushedAny = true;
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
        bool withSlot = chain.Count == 0 && want == slotWant && want > 1;
        // A hole the old versions of documents left is worth more than the journal slot: the
        // chain with its slot if a hole holds both, else the chain alone in a hole (its journal
        // page goes elsewhere), and only then does the file grow. Overwrites of documents
        // written back to back by a batch leave holes of exactly their pages; asking for one
        // page more never fitted them, and the file grew by every overwrite.
        if (withSlot && (allocator.TryAllocateFree(want, reserved) || allocator.TryAllocateFree(want - 1, reserved)))
            return Status.Ok;
        // A chain of one or two pages takes single free pages before the file grows: a batch
        // packs its documents' tails, so overwriting one of them alone frees only its one-page
        // head, and two-page versions that insisted on one run grew the file by every overwrite
        // while the heads stayed free. Two runs cost a read more; SQLite's overflow pages do the same.
        if (withSlot && want - 1 <= 2 && TakeSinglePages(want - 1)) return Status.Ok;
        var s = allocator.Allocate(want, preferred, reserved);
        // Near the limit the document must not be refused for the journal's page.
        if (s == Status.Full && withSlot) s = allocator.Allocate(want - 1, preferred, reserved);
        return s;
    }

    private bool TakeSinglePages(long count)
    {
        int before = reserved.Count;
        for (long i = 0; i < count; i++)
        {
            if (allocator.TryAllocateFree(1, reserved)) continue;
            allocator.Release(reserved.GetRange(before, reserved.Count - before));
            reserved.RemoveRange(before, reserved.Count - before);
            return false;
        }
        return true;
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
        if (buffer.Length != 0) ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }
}
