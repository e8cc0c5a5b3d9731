using StreamDb.Format;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Commit;

/// <summary>
/// Keeps the index durable at a cost proportional to what each commit changes: every commit
/// appends its records to the journal (rewriting only the journal's last, partly filled page, and
/// always into a fresh page: copy-on-write, so a torn write never damages committed records);
/// when the journal outgrows the last checkpoint, the whole index is written once as a new
/// checkpoint and the journal starts empty. Amortized, a commit writes about one page of index.
/// Not thread-safe: the engine calls it under the commit lock.
/// </summary>
internal sealed class IndexStore
{
    private const int MinJournalBytesBeforeCheckpoint = 256 * 1024;
    private readonly PageIO io;
    private readonly List<long> journalPages = new();
    private readonly List<ulong> journalWriteIds = new();
    // scratch[0..tailLength) holds the records of the journal's last page; an append builds
    // its pages from the scratch buffer, so a commit allocates nothing here.
    private byte[] scratch = new byte[4096];
    private int tailLength;
    private byte[]? pageBuffer;
    private readonly List<long> ids = new();
    private readonly List<Extent> extents = new();
    private readonly List<long> checkpointPages = new();

    // short-CRC journal pages (format version 2): a commit writes its journal page only as far
    // as its records reach (PageIO.WrittenLength)
    private readonly PageFlags journalFlags;

    public IndexStore(PageIO io, bool shortJournalCrc)
    {
        this.io = io;
        journalFlags = shortJournalCrc ? PageFlags.ShortCrc : PageFlags.None;
    }

    public long CheckpointBytes { get; private set; }
    public ulong CheckpointWriteId { get; private set; }
    public long JournalBytes { get; private set; }

    public long MetaPages => journalPages.Count + checkpointPages.Count;

    public IEnumerable<long> AllPages => checkpointPages.Concat(journalPages);

    public IReadOnlyList<long> CheckpointPageIds => checkpointPages;
    public IReadOnlyList<long> JournalPageIds => journalPages;

    public void Describe(ref RootFields f)
    {
        f.CheckpointHead = checkpointPages.Count > 0 ? (ulong)checkpointPages[0] : 0;
        f.CheckpointPages = (ulong)checkpointPages.Count;
        f.CheckpointBytes = (ulong)CheckpointBytes;
        f.CheckpointWriteId = CheckpointWriteId;
        f.JournalTail = journalPages.Count > 0 ? (ulong)journalPages[^1] : 0;
        f.JournalPages = (ulong)journalPages.Count;
        f.JournalBytes = (ulong)JournalBytes;
        f.JournalTailWriteId = journalWriteIds.Count > 0 ? journalWriteIds[^1] : 0;
    }

    public bool WantsCheckpoint => JournalBytes + deferredLength > Math.Max(MinJournalBytesBeforeCheckpoint, CheckpointBytes);

    // With relaxed durability (a flush interval) a commit's records wait here and the next sync
    // point appends them to the journal at once (Defer, WriteDeferred): no journal page is
    // reachable after a crash until a sync point writes a root naming it, so writing one per
    // commit bought nothing and cost every commit a page write under the commit lock (relaxed
    // commits of 8-12 KB documents: 18 KB written each, 12 KB now). The pages that append will
    // take are allocated as the records arrive, so a commit that would not fit is refused then,
    // and the sync point never finds the file full after it accepted commits.
    private byte[] deferred = [];
    private int deferredLength;
    private readonly List<long> reserved = new();
    private readonly List<Extent> reserving = new();
    private Func<long, List<Extent>, Status>? takeReserved;

    /// <summary>Deferred records beyond which a commit writes them at once, so that a long flush
    /// interval does not hold an unbounded journal in memory.</summary>
    public const int MaxDeferredBytes = 256 * 1024;

    /// <summary>Record bytes committed and not yet in the journal's pages.</summary>
    public int DeferredBytes => deferredLength;

    /// <summary>Pages held for the deferred records' append.</summary>
    public int ReservedPages => reserved.Count;

    /// <summary>Keeps one commit's records for the next <see cref="WriteDeferred"/>, first
    /// allocating (with <paramref name="allocate"/>) every page that append will need. Returns
    /// the allocation's status, and keeps nothing, when it fails.</summary>
    public Status Defer(ReadOnlySpan<byte> records, Func<long, List<Extent>, Status> allocate)
    {
        int cap = MetaChain.Capacity(io.PageSize);
        int keep = journalPages.Count > 0 && tailLength < cap ? tailLength : 0; // as Append will
        long total = (long)keep + deferredLength + records.Length;
        int pages = (int)Math.Max(1, (total + cap - 1) / cap);
        if (reserved.Count < pages)
        {
            reserving.Clear();
            var s = allocate(pages - reserved.Count, reserving);
            if (s != Status.Ok) return s;
            Expand(reserving, reserved);
        }
        if (deferred.Length < deferredLength + records.Length)
            Array.Resize(ref deferred, Math.Max(deferredLength + records.Length, Math.Max(4096, deferred.Length * 2)));
        records.CopyTo(deferred.AsSpan(deferredLength));
        deferredLength += records.Length;
        return Status.Ok;
    }

    /// <summary>Appends the deferred records to the journal in the pages reserved for them.
    /// Pages that stop being part of the journal go to <paramref name="freed"/>.</summary>
    public Status WriteDeferred(Func<ulong> newWriteId, List<Extent> freed)
    {
        if (deferredLength == 0) return Status.Ok;
        var s = Append(deferred.AsSpan(0, deferredLength), takeReserved ??= TakeReserved, newWriteId, freed);
        if (s != Status.Ok) return s;
        deferredLength = 0;
        // a large batch's records grew the buffer; the next interval's records start small again
        if (deferred.Length > MaxDeferredBytes * 2) deferred = [];
        return s;
    }

    private Status TakeReserved(long count, List<Extent> into)
    {
        if (count > reserved.Count) return Status.Full; // Defer reserved too few: cannot happen
        for (int i = 0; i < count; i++) into.Add(new Extent(reserved[i], 1));
        reserved.RemoveRange(0, (int)count);
        return Status.Ok;
    }

    // An open replays the journal record by record, each into objects, at about 32 times the
    // cost a byte of loading the checkpoint, which an open copies from its tables without
    // decoding it (100,000 documents: a 6.6 MB checkpoint loaded in about 7 ms; 3,000
    // overwrites' 120 KB of journal added about 5 ms). A clean close therefore writes a
    // checkpoint once the journal would cost the next open about as much as the checkpoint
    // does, not only when it outgrew the checkpoint (SQLite checkpoints its WAL at close, too);
    // below a page of journal it is not worth the close's two extra syncs.
    private const int ReplayCostRatio = 32;
    private const int MinJournalBytesAtClose = 8 * 1024;

    /// <summary>Whether a clean close should write a checkpoint (see above).</summary>
    public bool WantsCheckpointAtClose =>
        WantsCheckpoint || (JournalBytes >= MinJournalBytesAtClose && JournalBytes * ReplayCostRatio > CheckpointBytes);

    /// <summary>Appends one commit's records. Pages that stop being part of the journal go to <paramref name="freed"/>.
    /// When the records fit one page and <paramref name="slotId"/> is not 0, that page (already
    /// allocated by the caller) becomes the new tail: it is built in <paramref name="slotPage"/>
    /// and not written, the caller writes it (with the commit's data, in one write), and
    /// <paramref name="usedSlot"/> is true.</summary>
    public Status Append(ReadOnlySpan<byte> records, Func<long, List<Extent>, Status> allocate, Func<ulong> newWriteId, List<Extent> freed,
        long slotId, Span<byte> slotPage, out bool usedSlot)
    {
        usedSlot = false;
        int cap = MetaChain.Capacity(io.PageSize);
        // A partly filled tail is replaced by its copy-on-write successor; a full one stays.
        bool replaceTail = journalPages.Count > 0 && tailLength < cap;
        int keep = replaceTail ? tailLength : 0;
        int total = keep + records.Length;
        if (scratch.Length < total) Array.Resize(ref scratch, Math.Max(total, scratch.Length * 2));
        var combined = scratch.AsSpan(0, total);
        records.CopyTo(combined[keep..]);       // the tail's records are already at the front
        int pages = Math.Max(1, (total + cap - 1) / cap);
        ids.Clear();
        if (pages == 1 && slotId != 0)
        {
            ids.Add(slotId);
            usedSlot = true;
        }
        else
        {
            extents.Clear();
            var s = allocate(pages, extents);
            if (s != Status.Ok) return s;
            Expand(extents, ids);
        }
        if (replaceTail)
        {
            freed.Add(new Extent(journalPages[^1], 1));
            journalPages.RemoveAt(journalPages.Count - 1);
            journalWriteIds.RemoveAt(journalWriteIds.Count - 1);
            JournalBytes -= tailLength;
        }
        pageBuffer ??= new byte[io.PageSize];
        for (int i = 0; i < pages; i++)
        {
            int start = i * cap, n = Math.Min(cap, total - start);
            ulong wid = newWriteId();
            ulong prevWid = journalWriteIds.Count > 0 ? journalWriteIds[^1] : 0;
            ulong prevId = journalPages.Count > 0 ? (ulong)journalPages[^1] : 0;
            var page = usedSlot ? slotPage : pageBuffer;
            MetaChain.Build(page, PageKind.Journal, wid, prevWid, prevId, 0, combined.Slice(start, n), journalFlags);
            if (!usedSlot) io.WritePages(ids[i], page);
            journalPages.Add(ids[i]);
            journalWriteIds.Add(wid);
            JournalBytes += n;
            if (i == pages - 1)
            {
                // the new tail's records move to the front of the scratch buffer for the next append
                combined.Slice(start, n).CopyTo(scratch);
                tailLength = n;
            }
        }
        return Status.Ok;
    }

    public Status Append(ReadOnlySpan<byte> records, Func<long, List<Extent>, Status> allocate, Func<ulong> newWriteId, List<Extent> freed) =>
        Append(records, allocate, newWriteId, freed, 0, default, out _);

    /// <summary>Writes <paramref name="state"/> as a new checkpoint and empties the journal;
    /// the old checkpoint's and journal's pages go to <paramref name="freed"/>. With
    /// <paramref name="rebase"/>, <paramref name="based"/> is the same state kept as the new
    /// checkpoint's records (what an open would load), so that what commits have built up in
    /// memory since the last checkpoint can go; otherwise it is <paramref name="state"/>.</summary>
    public Status WriteCheckpoint(DbState state, Func<long, List<Extent>, Status> allocate, Func<ulong> newWriteId, List<Extent> freed,
        bool rebase, out DbState based)
    {
        based = state;
        var w = new RecordWriter(64 * 1024);
        StateEditor.Serialize(state, w);
        var bytes = w.Written;
        int cap = MetaChain.Capacity(io.PageSize);
        int pages = Math.Max(1, (bytes.Length + cap - 1) / cap);
        var extents = new List<Extent>();
        var s = allocate(pages, extents);
        if (s != Status.Ok) return s;
        var ids = Expand(extents, new List<long>());
        ulong wid = newWriteId();
        // One extent (what the allocator gives when it can) is marked, so that an open can read
        // the pages it needs by their position instead of all of them (see CheckpointPageSource).
        var flags = extents.Count == 1 ? PageFlags.Contiguous : PageFlags.None;
        // Write in runs of consecutive pages.
        int run = 0;
        byte[] buffer = new byte[Math.Min(pages, 64) * io.PageSize];
        for (int i = 0; i < pages; i++)
        {
            int start = i * cap, n = Math.Min(cap, bytes.Length - start);
            var page = buffer.AsSpan(run * io.PageSize, io.PageSize);
            MetaChain.Build(page, PageKind.Checkpoint, wid, wid, i == 0 ? 0 : (ulong)ids[i - 1], i == pages - 1 ? 0 : (ulong)ids[i + 1], bytes.Slice(start, Math.Max(n, 0)), flags);
            run++;
            bool flush = i == pages - 1 || run == 64 || ids[i + 1] != ids[i] + 1;
            if (flush)
            {
                io.WritePages(ids[i - run + 1], buffer.AsSpan(0, run * io.PageSize));
                run = 0;
            }
        }
        foreach (var id in checkpointPages) freed.Add(new Extent(id, 1));
        foreach (var id in journalPages) freed.Add(new Extent(id, 1));
        checkpointPages.Clear();
        checkpointPages.AddRange(ids);
        // the checkpoint holds what the deferred records said; their pages were never written
        deferredLength = 0;
        foreach (var id in reserved) freed.Add(new Extent(id, 1));
        reserved.Clear();
        CheckpointBytes = bytes.Length;
        CheckpointWriteId = wid;
        journalPages.Clear();
        journalWriteIds.Clear();
        tailLength = 0;
        JournalBytes = 0;
        // these records were just made from a consistent state, so parsing them cannot fail
        if (rebase)
        {
            try { based = StateEditor.LoadCheckpoint(bytes, state.Txn, int.MaxValue); }
            catch (FormatException) { } // cannot happen; if it did, the state in memory is still right
        }
        return Status.Ok;
    }

    // Whether the root's checkpoint was written contiguously (its first page says so, and the
    // root's sizes agree), so that Load need not read it whole; what is wrong with its first or
    // last page, if anything. The last page is read too, so that a root whose byte count
    // disagrees with its pages is refused here, as reading the chain whole would.
    private bool IsContiguous(in RootFields root, byte[] page, out string? wrong)
    {
        wrong = null;
        int cap = MetaChain.Capacity(io.PageSize);
        ulong head = root.CheckpointHead, pages = root.CheckpointPages;
        if (head == 0 || pages == 0 || head >= root.PageCount || pages > root.PageCount - head) return false;
        if (pages != Math.Max(1, (root.CheckpointBytes + (ulong)cap - 1) / (ulong)cap)) return false;
        io.ReadPages((long)head, page);
        var why = MetaChain.Check(page, PageKind.Checkpoint, root.CheckpointWriteId, out var h, out _, out var records);
        if (why is not null)
        {
            wrong = $"checkpoint page {head}: {why}";
            return false;
        }
        if ((h.Flags & PageFlags.Contiguous) == 0) return false;
        if (pages > 1)
        {
            ulong last = head + pages - 1;
            io.ReadPages((long)last, page);
            why = MetaChain.Check(page, PageKind.Checkpoint, root.CheckpointWriteId, out h, out _, out records);
            if (why is not null)
            {
                wrong = $"checkpoint page {last}: {why}";
                return false;
            }
            if ((h.Flags & PageFlags.Contiguous) == 0 || h.Next != 0)
            {
                wrong = $"checkpoint page {last}: not the last page of a contiguous checkpoint";
                return false;
            }
        }
        ulong held = (pages - 1) * (ulong)cap + (ulong)records.Length;
        if (held > root.CheckpointBytes) wrong = $"checkpoint holds more than the {root.CheckpointBytes} bytes the root says";
        else if (held < root.CheckpointBytes) wrong = $"checkpoint holds {held} bytes, root says {root.CheckpointBytes}";
        return wrong is null;
    }

    private static List<long> Expand(List<Extent> extents, List<long> ids)
    {
        foreach (var e in extents) for (long i = 0; i < e.Count; i++) ids.Add(e.Start + i);
        return ids;
    }

    /// <summary>Reads the checkpoint and journal a root points at into the state they describe.
    /// Returns null, or what is wrong.</summary>
    public string? Load(in RootFields root, int maxPathBytes, out DbState state)
    {
        state = DbState.Empty;
        int cap = MetaChain.Capacity(io.PageSize);
        // the root's CRC passed, but its sizes decide allocations: they must fit the pages it names
        if (root.CheckpointPages > root.PageCount || root.CheckpointBytes > root.CheckpointPages * (ulong)cap)
            return $"checkpoint of {root.CheckpointBytes} bytes in {root.CheckpointPages} pages does not fit";
        if (root.JournalPages > root.PageCount || root.JournalBytes > root.JournalPages * (ulong)cap)
            return $"journal of {root.JournalBytes} bytes in {root.JournalPages} pages does not fit";
        if (root.CheckpointBytes > int.MaxValue || root.JournalBytes > int.MaxValue) return "index larger than 2 GiB";
        var page = new byte[io.PageSize];

        // checkpoint: into one array of the size the root gives, which the loaded state keeps as
        // its checkpoint base; a contiguous one page by page as it is needed, any other whole
        DbState fromCheckpoint;
        if (IsContiguous(root, page, out string? wrong))
        {
            var source = new CheckpointPageSource(io, (long)root.CheckpointHead, (int)root.CheckpointPages, (long)root.CheckpointBytes, root.CheckpointWriteId);
            try { fromCheckpoint = StateEditor.LoadCheckpoint(new RecordPages((int)root.CheckpointBytes, source), (long)root.CommitTxn, maxPathBytes); }
            catch (FormatException e) { return $"checkpoint records: {e.Message}"; }
            for (long i = 0; i < (long)root.CheckpointPages; i++) checkpointPages.Add((long)root.CheckpointHead + i);
        }
        else if (wrong is not null) return wrong;
        else
        {
            var stream = GC.AllocateUninitializedArray<byte>((int)root.CheckpointBytes);
            Prefault.Populate(stream);
            int filled = 0;
            ulong id = root.CheckpointHead;
            // A checkpoint is written in runs of consecutive pages, so it is read in runs too (a
            // page a read was 640 reads for a 5 MB checkpoint). A page outside the run read last
            // starts a new one, twice as long as that one when the chain went straight on, of
            // one page after a jump: a checkpoint scattered over single free pages must not cost
            // a long read for each of its pages.
            const int RunPages = 64;
            var run = new byte[(int)Math.Min(RunPages, Math.Max(root.CheckpointPages, 1)) * io.PageSize];
            ulong runFirst = 0, runCount = 0, ahead = 1;
            for (ulong i = 0; i < root.CheckpointPages; i++)
            {
                if (id == 0 || id >= root.PageCount) return $"checkpoint page #{i} id {id} out of range";
                if (id < runFirst || id >= runFirst + runCount)
                {
                    ahead = id == runFirst + runCount ? Math.Min(ahead * 2, (ulong)(run.Length / io.PageSize)) : 1;
                    runFirst = id;
                    runCount = Math.Min(Math.Min(ahead, root.CheckpointPages - i), root.PageCount - id);
                    io.ReadPages((long)id, run.AsSpan(0, (int)runCount * io.PageSize));
                }
                var inRun = run.AsSpan((int)(id - runFirst) * io.PageSize, io.PageSize);
                var why = MetaChain.Check(inRun, PageKind.Checkpoint, root.CheckpointWriteId, out var h, out _, out var records);
                if (why is not null) return $"checkpoint page {id}: {why}";
                if (records.Length > stream.Length - filled) return $"checkpoint holds more than the {root.CheckpointBytes} bytes the root says";
                records.CopyTo(stream.AsSpan(filled));
                filled += records.Length;
                checkpointPages.Add((long)id);
                id = h.Next;
            }
            if (filled != stream.Length) return $"checkpoint holds {filled} bytes, root says {root.CheckpointBytes}";
            try { fromCheckpoint = StateEditor.LoadCheckpoint(stream, (long)root.CommitTxn, maxPathBytes); }
            catch (FormatException e) { return $"checkpoint records: {e.Message}"; }
        }
        CheckpointBytes = (long)root.CheckpointBytes;
        CheckpointWriteId = root.CheckpointWriteId;
        var editor = new StateEditor(fromCheckpoint, (long)root.CommitTxn, null);

        // journal: backward along prev links, each page's records placed before its successor's, then replayed forward
        var ids = new List<long>();
        var wids = new List<ulong>();
        using (var journal = new NativeBytes((int)root.JournalBytes))
        {
            var stream = journal.Span;
            int start = stream.Length;
            ulong id = root.JournalTail;
            ulong expected = root.JournalTailWriteId;
            for (ulong i = 0; i < root.JournalPages; i++)
            {
                if (id == 0 || id >= root.PageCount) return $"journal page id {id} out of range";
                io.ReadPages((long)id, page);
                var why = MetaChain.Check(page, PageKind.Journal, expected, out var h, out var prevWid, out var records);
                if (why is not null) return $"journal page {id}: {why}";
                if (records.Length > start) return $"journal holds more than the {root.JournalBytes} bytes the root says";
                start -= records.Length;
                records.CopyTo(stream[start..]);
                if (i == 0)
                {
                    // the tail's records are where the next append starts from
                    if (scratch.Length < records.Length) scratch = new byte[records.Length];
                    records.CopyTo(scratch);
                    tailLength = records.Length;
                }
                ids.Add((long)id);
                wids.Add(expected);
                expected = prevWid;
                id = h.Prev;
            }
            if (start != 0) return $"journal holds {stream.Length - start} bytes, root says {root.JournalBytes}";
            try { editor.Replay(stream, maxPathBytes); }
            catch (FormatException e) { return $"journal records: {e.Message}"; }
            catch (KeyNotFoundException e) { return $"journal records: {e.Message}"; }
        }
        ids.Reverse();
        wids.Reverse();
        editor.Txn = (long)root.CommitTxn;
        state = editor.Build();
        journalPages.AddRange(ids);
        journalWriteIds.AddRange(wids);
        JournalBytes = (long)root.JournalBytes;
        return null;
    }
}
