using StreamDb.Commit;
using StreamDb.Documents;
using StreamDb.Format;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Storage;
using StreamDb.Util;

namespace StreamDb.Engine;

/// <summary>
/// Ties the layers together: opens and recovers a file, runs commits, makes them durable, and
/// decides when freed pages may be reused. See docs/ARCHITECTURE.md.
///
/// Commit protocol (shadow paging with one sync per durable commit):
///  1. a writer writes its chain into pages no committed state references (outside any lock);
///  2. under the commit lock the index records are computed, each chain's first page written,
///     and the records appended to the journal (into fresh pages);
///  3. a sync point writes the root slot not holding the newest valid root, then syncs once.
/// On open the newest valid root is checked against what it points at (journal pages by write
/// id, chains committed since the previous sync point page by page); if anything did not reach
/// the disk the older root is used: that commit never returned success.
///
/// Reuse rule: a page freed by commit t is reused only when (a) two sync points at or after t
/// are durable, so neither root slot can lead to a state that still uses it, and (b) no reader
/// holds a state older than t.
///
/// Locks, always taken in this order: commit lock, then allocator lock; the pin registry's lock
/// and the page cache's shard locks are leaves held for in-memory work only. Readers take no
/// lock but those leaves.
/// </summary>
internal sealed class StorageEngine : IPageAllocator, IDisposable
{
    private readonly object commitLock = new();
    private readonly object allocLock = new();
    private readonly PinRegistry pins = new();
    private readonly List<(long Txn, Extent Extent)> pending = new();
    // Per pack page, how many versions of the newest committed state have their tail in it
    // (commit lock). A page goes free, like a chain's pages, when the count reaches zero.
    private PackCounts packRefs = new();
    private readonly IndexStore index;
    /// <summary>The index pages (for tests).</summary>
    internal IndexStore Index => index;
    private readonly FreeSpace freeSpace;
    private readonly Timer? flushTimer;
    private readonly byte[] slotBuffer = new byte[RootFields.Size];
    private volatile DbState state;   // published: what readers see (durable unless group commit)
    private DbState head;             // newest committed: what the next commit builds on (commit lock)
    private readonly object syncGate = new();
    private bool syncing;             // a thread holds sync leadership (syncGate)
    private long firstPendingTxn = long.MaxValue; // txn of pending[0] (allocation lock to write; read without it)
    private ulong writeIdCounter;
    private int slotIndex;            // slot holding the newest valid root
    private ulong sequence;           // highest sequence seen in either slot
    private long syncedTxn;           // CommitTxn of the newest root written
    private long durableTxn;          // CommitTxn of the newest root known durable
    private long prevDurableTxn;      // CommitTxn of the root before it
    private long rootBaseTxn;         // BaseTxn of the newest root written: commits after it are unconfirmed
    private volatile string? failure; // set when a commit failed half-way: writes refused until reopened
    private bool disposed;

    private StorageEngine(IStorageDevice device, DatabaseOptions options, int pageSize, int formatVersion, bool readOnly)
    {
        Options = options;
        ReadOnly = readOnly;
        // short writes leave holes in what a sync writes: only when syncs are batched (see PageIO.WrittenLength)
        IO = new PageIO(device, pageSize, options.PageCachePages, shortWrites: options.FlushIntervalMs > 0 || options.NoSync);
        Reader = new ChainReader(IO);
        Content = new ContentReader(Reader);
        index = new IndexStore(IO, shortJournalCrc: formatVersion >= 2);
        long maxPages = Math.Min(options.MaxPages, options.MaxDbSize / pageSize);
        freeSpace = new FreeSpace(1, Math.Max(1, maxPages));
        state = head = DbState.Empty;
        readState = () => state;
        // Guid.NewGuid is a getrandom call. RandomNumberGenerator loaded and initialised OpenSSL
        // (dlopen of libssl, ~2 ms of every open) and failed on hosts without libssl.
        Span<byte> seed = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(seed);
        writeIdCounter = BitConverter.ToUInt64(seed);
        if (!readOnly && options.FlushIntervalMs > 0)
            flushTimer = new Timer(_ => BackgroundFlush(), null, options.FlushIntervalMs, options.FlushIntervalMs);
    }

    public DatabaseOptions Options { get; }
    public bool ReadOnly { get; }
    public PageIO IO { get; }
    public ChainReader Reader { get; }
    public ContentReader Content { get; }

    /// <summary>A writer for one new document version (compressed when the database is).
    /// <paramref name="alone"/>: it will be committed on its own, so its commit may put the
    /// journal page right after its data (one write).</summary>
    public DocumentEncoder NewEncoder(long expectedLength = -1, bool alone = false, TailPacker? packer = null) =>
        new(new ChainWriter(IO, this, NewWriteId(), expectedLength, alone, packer), Options.MaxDocumentSize, Options.Compress);

    /// <summary>A packer for the tails of one batch's documents; null when the database packs nothing.</summary>
    public TailPacker? NewPacker() =>
        Options.TailPacking == TailPacking.None ? null : new(IO, this, NewWriteId(), Options.TailPacking);
    public DbState Current => state;
    public int PageSize => IO.PageSize;
    public int MaxPathBytes => PathRules.MaxBytes;

    public ulong NewWriteId() => Interlocked.Increment(ref writeIdCounter);

    // ---- open ---------------------------------------------------------------------------------

    public static Status Open(IStorageDevice device, DatabaseOptions options, bool readOnly, out StorageEngine? engine)
    {
        engine = null;
        if (!FileHeader.IsValidPageSize(options.PageSize))
            return LastError.Set(Status.InvalidArgument, $"page size {options.PageSize} is not a power of two from 4096 to 65536");
        Span<byte> head = stackalloc byte[FileHeader.MinPageSize];
        long length = device.Length;
        device.Read(0, head);
        bool blank = length == 0 || (length <= FileHeader.MinPageSize * 16 && !head.ContainsAnyExcept((byte)0));
        if (blank)
        {
            if (readOnly) return LastError.Set(Status.NotFound, "the database file is empty and the open is read-only");
            var e = new StorageEngine(device, options, options.PageSize, FileHeader.FormatVersion, readOnly);
            e.Create();
            engine = e;
            return Status.Ok;
        }
        if (!FileHeader.TryReadStatic(head, out int pageSize, out int formatVersion, out string error))
            return LastError.Set(Status.Corrupted, error);
        var candidates = new List<(RootFields Root, int Slot)>();
        ulong maxSeq = 0;
        for (int slot = 0; slot < 2; slot++)
        {
            var bytes = head.Slice(FileHeader.SlotOffset(slot), RootFields.Size);
            if (RootFields.TryRead(bytes, out var root))
            {
                candidates.Add((root, slot));
                maxSeq = Math.Max(maxSeq, root.Sequence);
            }
        }
        if (candidates.Count == 0)
            return LastError.Set(Status.Corrupted, "neither root slot of the file header is valid");
        candidates.Sort((a, b) => b.Root.Sequence.CompareTo(a.Root.Sequence));
        var problems = new List<string>();
        foreach (var (root, slot) in candidates)
        {
            var e = new StorageEngine(device, options, pageSize, formatVersion, readOnly);
            string? why = e.Load(root);
            if (why is null)
            {
                e.slotIndex = slot;
                e.sequence = maxSeq;
                engine = e;
                return Status.Ok;
            }
            e.flushTimer?.Dispose();
            problems.Add($"root #{root.Sequence} (slot {(slot == 0 ? 'A' : 'B')}): {why}");
        }
        return LastError.Set(Status.Corrupted, "no usable commit point: " + string.Join("; ", problems));
    }

    private void Create()
    {
        var page = new byte[IO.PageSize];
        FileHeader.WriteStatic(page, IO.PageSize);
        var root = new RootFields { Sequence = 1, PageCount = 1 };
        root.Write(page.AsSpan(FileHeader.SlotAOffset));
        IO.Device.Write(0, page);
        IO.Device.Sync();
        slotIndex = 0;
        sequence = 1;
    }

    private string? Load(RootFields root)
    {
        if (root.PageCount > (ulong)Math.Max(freeSpace.MaxPages, 1) && root.PageCount > (ulong)(IO.Device.Length / IO.PageSize + 1))
            return $"page count {root.PageCount} beyond the file";
        long pageCount = (long)root.PageCount;
        long baseTxn = (long)root.BaseTxn;
        string? why = index.Load(root, MaxPathBytes, out var loaded);
        if (why is not null) return why;

        // Chains committed after the previous sync point may not have reached the disk: a
        // commit with one that did not is rolled back (the older root is tried). The checkpoint
        // says whether it holds any such version, so that an open after a clean close decodes none.
        var docs = loaded.Docs;
        var checkpoint = docs.Checkpoint;
        var recent = new List<(Guid Id, DocVersion Version)>();
        try
        {
            if (checkpoint is not null && checkpoint.NewestCommitTxn > baseTxn)
                for (int k = 0; k < checkpoint.DocCount; k++)
                {
                    var versions = checkpoint.Versions(k);
                    bool any = false;
                    while (versions.Next(out var v)) any |= v.CommitTxn > baseTxn;
                    if (!any) continue;
                    var doc = checkpoint.Doc(k);
                    if (docs.IsChanged(doc.Id)) continue;
                    foreach (var v in doc.Versions)
                        if (v.CommitTxn > baseTxn) recent.Add((doc.Id, v));
                }
        }
        catch (FormatException e)
        {
            return "checkpoint records: " + e.Message;
        }
        foreach (var doc in docs.Changed())
        foreach (var v in doc.Versions)
            if (v.CommitTxn > baseTxn) recent.Add((doc.Id, v));
        var page = new byte[IO.PageSize];
        foreach (var (id, v) in recent)
        {
            for (long i = 0; i < v.PageCount; i++)
            {
                long p = v.Info.PageAt(i);
                if (p < 1 || p >= pageCount) return $"document {id} version {v.Number} uses pages outside the file";
                IO.ReadPages(p, page);
                if (Reader.CheckPage(id, in v.Info, i, page) != Status.Ok) return "a recent commit is incomplete: " + LastError.Message;
            }
            if (v.Tail.IsPresent && (v.Tail.Page < 1 || v.Tail.Page >= pageCount)) return $"document {id} version {v.Number} has its tail outside the file";
            if (Reader.CheckTail(id, in v.Info) != Status.Ok) return "a recent commit is incomplete: " + LastError.Message;
        }

        // Which pages are free is found when something first needs it (see PageUseScan): reads
        // never do, and it is most of the work for a large database. Started here in the
        // background, the scan cost an open and its first read 0.8 ms of their 1.4 ms for
        // 100,000 paths: 0.55 ms starting the thread pool (the caller waits for each new thread
        // to start), the rest sharing two cores with it.
        var indexPages = index.AllPages.ToArray();
        int pageSize = IO.PageSize, maxPathBytes = MaxPathBytes;
        freeSpace.SetHighWater(pageCount);
        pendingScan = () => PageUseScan.Run(loaded, pageCount, indexPages, pageSize, maxPathBytes);
        state = head = loaded;
        syncedTxn = durableTxn = prevDurableTxn = loaded.Txn;
        rootBaseTxn = baseTxn;
        return null;
    }

    // ---- the pages in use ------------------------------------------------------------------------

    // The scan an open left to be run (PageUseScan), until the first caller that needs the free
    // pages runs it; what it found wrong, after. Both under allocLock.
    private Func<PageUseScan>? pendingScan;
    private string? scanProblem;

    /// <summary>Runs the scan the open left, on the caller's thread, if nobody has yet, and hands
    /// its free pages to the allocator. Corrupted if it found the state inconsistent: nothing may
    /// then be allocated (a page it missed could be handed out twice), reads go on. IOError if
    /// the device failed while it read (the scan stays pending: the next caller runs it again).
    /// The caller holds allocLock, so callers that need the pages meanwhile wait for the one
    /// running it; readers take neither lock.</summary>
    private Status FreePagesReady()
    {
        if (pendingScan is { } run)
        {
            PageUseScan scan;
            try
            {
                scan = run();
            }
            catch (IOException e)
            {
                // not the state's fault: no reason to refuse writes for the rest of the session
                return LastError.Set(Status.IOError, $"reading the index to find the free pages failed: {e.Message}");
            }
            pendingScan = null;
            if (scan.Problem is not null) scanProblem = scan.Problem;
            else
            {
                packRefs = scan.Packs;
                long high = freeSpace.HighWater, runStart = -1;
                for (long p = 1; p <= high; p++)
                {
                    bool free = p < high && !scan.Used[p];
                    if (free && runStart < 0) runStart = p;
                    if (!free && runStart >= 0) { freeSpace.Free(new Extent(runStart, p - runStart)); runStart = -1; }
                }
            }
        }
        return scanProblem is null ? Status.Ok
            : LastError.Set(Status.Corrupted, $"the database cannot be written: {scanProblem} (found after the open; run verify)");
    }

    private Status AwaitFreePages()
    {
        lock (allocLock) return FreePagesReady();
    }

    // For callers that report results rather than a status (stats, verify): a failed read of
    // the device during the scan is their failure too, as an IOException.
    private static void ThrowIfReadFailed(Status s)
    {
        if (s == Status.IOError) throw new IOException(LastError.Message);
    }

    /// <summary>What the scan of the pages in use found wrong, or null (runs it if nobody has:
    /// verify). IOException when the device failed while it read.</summary>
    internal string? PagesInUseProblem()
    {
        lock (allocLock)
        {
            ThrowIfReadFailed(FreePagesReady());
            return scanProblem;
        }
    }

    // ---- allocation ---------------------------------------------------------------------------

    // Document data may not use the last few pages below the limit: they are kept for the index,
    // so that a full database can still commit deletes and so make room.
    private const long MetaReserve = 16;

    public Status Allocate(long count, long preferred, List<Extent> into) => Allocate(count, preferred, into, MetaReserve);

    private Status Allocate(long count, long preferred, List<Extent> into, long reserve)
    {
        lock (allocLock)
        {
            var s = FreePagesReady();
            if (s != Status.Ok) return s;
            if (freeSpace.TryAllocateNear(preferred, count, into, reserve)) return Status.Ok;
        }
        return LastError.Set(Status.Full, $"the database is full: {count} more pages would exceed the limit of {freeSpace.MaxPages} pages (max_db_size / max_pages)");
    }

    public bool TryAllocateFree(long count, List<Extent> into)
    {
        lock (allocLock) return FreePagesReady() == Status.Ok && freeSpace.TryAllocateFree(count, into);
    }

    // Index pages may use the pages kept below the limit (see MetaReserve): this one is for the journal.
    public bool TryAllocatePage(long id)
    {
        lock (allocLock) return FreePagesReady() == Status.Ok && freeSpace.TryAllocatePage(id);
    }

    public void Release(IReadOnlyList<Extent> extents)
    {
        lock (allocLock)
        {
            // (pages are only released after being allocated, so the scan is done)
            foreach (var e in extents) freeSpace.Free(e);
        }
    }

    private Status AllocateMeta(long count, List<Extent> into) => Allocate(count, 0, into, 0);

    // Cached delegates: a fresh closure per commit is garbage on the hot path.
    private Func<long, List<Extent>, Status> allocateMeta => allocateMetaCached ??= AllocateMeta;
    private Func<ulong> newWriteId => newWriteIdCached ??= NewWriteId;
    private Func<long, List<Extent>, Status>? allocateMetaCached;
    private Func<ulong>? newWriteIdCached;

    // ---- readers ------------------------------------------------------------------------------

    /// <summary>The current state, pinned until <see cref="Unpin"/>.</summary>
    public DbState Pin() => pins.Pin(readState, TxnOf);

    /// <summary>Pins an already pinned state once more (a snapshot's reader or child snapshot).</summary>
    public DbState PinAgain(DbState pinned) => pins.Pin(() => pinned, TxnOf);

    // Cached: a read pins the current state, and a fresh closure per read is garbage on the hot path.
    private readonly Func<DbState> readState;
    private static readonly Func<DbState, long> TxnOf = s => s.Txn;

    public void Unpin(DbState pinned)
    {
        pins.Unpin(pinned.Txn);
        Reclaim();
    }

    // ---- commits ------------------------------------------------------------------------------

    /// <summary>The document id and version number a write to <paramref name="path"/> would get
    /// if it committed now: the path's document and its next number, or a fresh id and number 1.
    /// A guess, read without the commit lock: another commit may come first.</summary>
    public (Guid Id, long Number) PredictWrite(ReadOnlySpan<byte> path)
    {
        var newest = Volatile.Read(ref head);
        return newest.Paths.TryGetValue(path, out var id) && newest.Docs.TryGetVersions(id, out var versions)
            ? (id, versions[0].Number + 1)
            : (Guid.NewGuid(), 1);
    }

    public Status CheckWritable()
    {
        if (disposed) return LastError.Set(Status.InvalidArgument, "the database is closed");
        if (ReadOnly) return LastError.Set(Status.ReadOnly, "the database is open read-only");
        if (failure is not null) return LastError.Set(Status.IOError, $"an earlier commit failed ({failure}); reopen the database");
        return Status.Ok;
    }

    /// <summary>
    /// Applies <paramref name="apply"/> to the newest committed state as one atomic commit. The
    /// callback returns the chains whose first pages must be written (with their id and number)
    /// or an error status, in which case nothing changes. With the default durability the call
    /// returns once a sync point covers the commit; commits from several threads that wait at
    /// the same time share one sync (group commit) and are published together.
    /// </summary>
    public Status Commit(Func<StateEditor, List<(DocumentEncoder Writer, Guid Id, long Number)>, Status> apply)
    {
        long txn;
        lock (commitLock)
        {
            var s = CheckWritable();
            if (s != Status.Ok) return s;
            // the pack page counts and the free pages come from the open's scan
            s = AwaitFreePages();
            if (s != Status.Ok) return s;
            var log = new RecordWriter();
            var basis = head;
            var editor = new StateEditor(basis, basis.Txn + 1, log);
            editor.CommitMarker(basis.Txn + 1);
            var firstPages = new List<(DocumentEncoder Writer, Guid Id, long Number)>();
            try
            {
                s = apply(editor, firstPages);
            }
            catch (FormatException e)
            {
                return LastError.Set(Status.Internal, "index update failed: " + e.Message);
            }
            if (s != Status.Ok) return s;
            var next = editor.Build();
            var freed = editor.Freed;
            try
            {
                s = Status.Full;
                // A checkpoint writes the first pages before it is tried; one that does not fit
                // falls back to the journal with them already out.
                bool checkpoint = index.WantsCheckpoint;
                if (checkpoint)
                {
                    foreach (var (w, id, number) in firstPages) w.WriteFirstPage(id, number);
                    s = index.WriteCheckpoint(next, allocateMeta, newWriteId, freed, rebase: true, out var based);
                    if (s == Status.Ok) next = based;
                }
                if (s == Status.Full && Options.FlushIntervalMs > 0)
                {
                    // relaxed durability: the records wait for the sync point (IndexStore.Defer),
                    // behind those of earlier commits (also when a checkpoint did not fit)
                    s = index.Defer(log.Written, allocateMeta);
                    if (s == Status.Ok)
                    {
                        if (!checkpoint)
                            foreach (var (w, id, number) in firstPages) w.WriteFirstPage(id, number);
                        if (index.DeferredBytes >= IndexStore.MaxDeferredBytes) s = index.WriteDeferred(newWriteId, freed);
                    }
                }
                else if (s == Status.Full && !checkpoint && firstPages.Count == 1 && firstPages[0].Writer.TryJournalSlot(out long slotId, out var slotPage))
                {
                    // One small document: its journal page goes into the free page right after
                    // its data, and data and journal page reach the device in one write.
                    var (w, id, number) = firstPages[0];
                    w.StampFirstPage(id, number);
                    s = index.Append(log.Written, allocateMeta, newWriteId, freed, slotId, slotPage, out bool usedSlot);
                    if (s == Status.Ok) w.WriteHeld(usedSlot);
                }
                else if (s == Status.Full)
                {
                    if (!checkpoint)
                        foreach (var (w, id, number) in firstPages) w.WriteFirstPage(id, number);
                    s = index.Append(log.Written, allocateMeta, newWriteId, freed);
                }
                // Full here changed nothing on disk that any state uses: the commit is refused, the engine stays usable.
                if (s != Status.Ok) return s;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                failure = e.Message;
                return LastError.Set(Status.IOError, $"commit failed: {e.Message}");
            }
            if (editor.TailDeltas is { } deltas)
            {
                foreach (var (p, d) in deltas)
                {
                    // zero: the last tail in it is gone (or every tail the batch packed there was
                    // overwritten in the batch)
                    if (packRefs.Add(p, d) == 0) freed.Add(new Extent(p, 1));
                }
            }
            head = next;
            txn = next.Txn;
            // Group-commit mode publishes at once and a timer makes it durable later.
            if (Options.FlushIntervalMs > 0) state = next;
            lock (allocLock)
            {
                foreach (var e in freed) pending.Add((txn, e));
                if (pending.Count > 0) firstPendingTxn = pending[0].Txn;
            }
        }
        var status = Options.FlushIntervalMs > 0 ? Status.Ok : WaitDurable(txn);
        Reclaim();
        return status;
    }

    /// <summary>Returns once a sync point covers <paramref name="txn"/>: either another thread's
    /// sync did, or this thread leads one that covers every commit made so far.</summary>
    private Status WaitDurable(long txn)
    {
        while (true)
        {
            lock (syncGate)
            {
                while (true)
                {
                    if (Volatile.Read(ref durableTxn) >= txn) return Status.Ok;
                    if (failure is not null) return LastError.Set(Status.IOError, $"commit failed: {failure}");
                    if (!syncing) { syncing = true; break; }
                    Monitor.Wait(syncGate);
                }
            }
            try
            {
                SyncPoint(force: false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                failure = e.Message;
            }
            finally
            {
                EndLeadership();
            }
        }
    }

    private void BeginLeadership()
    {
        lock (syncGate)
        {
            while (syncing) Monitor.Wait(syncGate);
            syncing = true;
        }
    }

    private void EndLeadership()
    {
        lock (syncGate)
        {
            syncing = false;
            Monitor.PulseAll(syncGate);
        }
    }

    /// <summary>Writes a root for the newest committed state into the other slot, syncs once,
    /// and publishes that state. The caller holds sync leadership (one sync point at a time);
    /// commits go on meanwhile, into pages this root does not reference.</summary>
    private void SyncPoint(bool force)
    {
        DbState target;
        var root = new RootFields();
        lock (commitLock)
        {
            target = head;
            if (!force && target.Txn == syncedTxn) return;
            // records that relaxed commits left for the sync point go to the journal first,
            // into pages reserved for them (the old tail page is reusable once two sync points
            // past this one name the new one)
            if (index.DeferredBytes > 0)
            {
                var freed = new List<Extent>();
                var s = index.WriteDeferred(newWriteId, freed);
                if (s != Status.Ok) throw new IOException($"writing the journal failed: {LastError.Message}");
                lock (allocLock)
                {
                    foreach (var e in freed) pending.Add((target.Txn, e));
                    if (pending.Count > 0) firstPendingTxn = pending[0].Txn;
                }
            }
            root.Sequence = sequence + 1;
            root.CommitTxn = (ulong)target.Txn;
            root.BaseTxn = (ulong)syncedTxn;
            lock (allocLock) root.PageCount = (ulong)freeSpace.HighWater;
            index.Describe(ref root);
        }
        int slot = 1 - slotIndex;
        rootBaseTxn = (long)root.BaseTxn;
        root.Write(slotBuffer);
        IO.Device.Write(FileHeader.SlotOffset(slot), slotBuffer);
        IO.Device.Sync();
        sequence++;
        slotIndex = slot;
        syncedTxn = target.Txn;
        Volatile.Write(ref prevDurableTxn, IO.Device.IsPersistent ? durableTxn : target.Txn);
        Volatile.Write(ref durableTxn, target.Txn);
        // With the default durability only the sync leader publishes (commits wait for it). In
        // group-commit mode commits publish themselves, under the commit lock; publishing here
        // too could put an older state back over a newer one.
        if (Options.FlushIntervalMs <= 0 && state.Txn < target.Txn) state = target;
    }

    private void BackgroundFlush()
    {
        if (disposed || failure is not null) return;
        BeginLeadership();
        try
        {
            if (!disposed && failure is null) SyncPoint(force: false);
        }
        catch (Exception e)
        {
            failure = "background flush: " + e.Message;
        }
        finally
        {
            EndLeadership();
        }
        Reclaim();
    }

    /// <summary>Everything committed is durable on return; old freed pages become reusable.</summary>
    public Status Flush()
    {
        if (ReadOnly) return Status.Ok;
        if (failure is not null) return LastError.Set(Status.IOError, $"an earlier commit failed ({failure}); reopen the database");
        BeginLeadership();
        try
        {
            SyncPoint(force: false);
        }
        catch (IOException e)
        {
            failure = e.Message;
            return LastError.Set(Status.IOError, $"flush failed: {e.Message}");
        }
        finally
        {
            EndLeadership();
        }
        Reclaim();
        return Status.Ok;
    }

    private void Reclaim()
    {
        // Most commits free pages that cannot be reused yet (their txn is newer than the sync
        // point before last): return before taking the pin and allocation locks, which every
        // writer also takes, so concurrent writers do not hand them back and forth for nothing.
        if (Volatile.Read(ref firstPendingTxn) > Volatile.Read(ref prevDurableTxn)) return;
        long limit = Math.Min(Volatile.Read(ref prevDurableTxn), pins.Oldest());
        lock (allocLock)
        {
            int n = 0;
            while (n < pending.Count && pending[n].Txn <= limit) n++;
            if (n == 0) return;
            for (int i = 0; i < n; i++) freeSpace.Free(pending[i].Extent);
            pending.RemoveRange(0, n);
            firstPendingTxn = pending.Count > 0 ? pending[0].Txn : long.MaxValue;
        }
    }

    /// <summary>Returns trailing free pages to the file system. The index is rewritten into the
    /// lowest free pages first (its newest page is usually the file's last); document chains are
    /// not moved, so a live document near the end keeps the file long.</summary>
    public Status Compact()
    {
        var s = CheckWritable();
        if (s != Status.Ok) return s;
        s = AwaitFreePages();
        if (s != Status.Ok) return s;
        BeginLeadership();
        try
        {
            // Two sync points make every page freed so far reusable (unless a reader holds it).
            SyncPoint(force: true);
            SyncPoint(force: true);
            Reclaim();
            var freed = new List<Extent>();
            lock (commitLock) s = index.WriteCheckpoint(head, AllocateMeta, NewWriteId, freed, rebase: false, out _);
            if (s != Status.Ok) return s;
            SyncPoint(force: true);
            SyncPoint(force: true);
            // Only now does neither root slot lead to the old index pages.
            lock (allocLock)
            {
                foreach (var e in freed) pending.Add((syncedTxn, e));
                if (pending.Count > 0) firstPendingTxn = pending[0].Txn;
            }
            Reclaim();
            long cut;
            lock (commitLock)
            lock (allocLock) cut = freeSpace.TrimTail();
            if (cut == 0) return Status.Ok;
            SyncPoint(force: true);
            // Under the allocator lock: a page allocated meanwhile lies below the new length.
            lock (allocLock) IO.Device.SetLength(freeSpace.HighWater * IO.PageSize);
            IO.Device.Sync();
        }
        catch (IOException e)
        {
            failure = e.Message;
            return LastError.Set(Status.IOError, $"compact failed: {e.Message}");
        }
        finally
        {
            EndLeadership();
        }
        return Status.Ok;
    }

    // ---- statistics ---------------------------------------------------------------------------

    public DatabaseStats Stats()
    {
        // The newest committed state and the index pages that describe it, taken together.
        DbState s;
        long high, meta, packs;
        ThrowIfReadFailed(AwaitFreePages()); // the pack page count
        lock (commitLock)
        {
            s = head;
            meta = index.MetaPages;
            packs = packRefs.Count;
        }
        lock (allocLock) high = freeSpace.HighWater;
        return new DatabaseStats(IO.PageSize, high, high - 1 - s.DataPages - meta - packs, s.Docs.Count, s.Paths.Count,
            IO.Device.Length, IO.Cache.Hits, IO.Cache.Misses);
    }

    internal (long CheckpointBytes, long JournalBytes) IndexSizes()
    {
        lock (commitLock) return (index.CheckpointBytes, index.JournalBytes);
    }

    internal (long HighWater, long MetaPages, long[] MetaPageIds) Layout()
    {
        lock (commitLock)
        lock (allocLock)
        {
            FreePagesReady();
            return (freeSpace.HighWater, index.MetaPages, index.AllPages.ToArray());
        }
    }

    /// <summary>The pages the allocator may hand out now (verify).</summary>
    internal Extent[] FreeExtents()
    {
        lock (allocLock)
        {
            FreePagesReady();
            return freeSpace.Extents.ToArray();
        }
    }

    /// <summary>Pins the newest committed state together with the index pages describing it and
    /// how many pack pages it uses (verify).</summary>
    internal (DbState State, long HighWater, long MetaPages, long[] MetaPageIds, long PackPages) PinHeadWithLayout()
    {
        lock (commitLock)
        {
            var pinned = pins.Pin(() => head, TxnOf);
            lock (allocLock)
            {
                FreePagesReady();
                return (pinned, freeSpace.HighWater, index.MetaPages, index.AllPages.ToArray(), packRefs.Count);
            }
        }
    }

    public void Close()
    {
        flushTimer?.Dispose();
        BeginLeadership();
        try
        {
            if (disposed) return;
            try
            {
                if (!ReadOnly && failure is null)
                {
                    SyncPoint(force: false);
                    CheckpointIfJournalIsCostly();
                    // A root whose base is its own commit vouches for everything: after a clean
                    // close, damage found on open is reported as Corrupted, not taken for an
                    // interrupted commit and rolled back.
                    if (rootBaseTxn != syncedTxn) SyncPoint(force: true);
                    // The file grows ahead of use in zero-filled steps; a closed file is cut
                    // back to what it holds (pages past the root's page count are unused).
                    long used;
                    lock (allocLock) used = freeSpace.HighWater * IO.PageSize;
                    if (IO.Device.Length > used) IO.Device.SetLength(used);
                }
            }
            finally
            {
                lock (commitLock)
                {
                    disposed = true;
                    IO.Device.Dispose();
                }
            }
        }
        finally
        {
            EndLeadership();
        }
    }

    public void Dispose() => Close();

    // A journal would be replayed record by record at the next open (a batch of 100,000 writes:
    // most of a second; 10,000 overwrites: most of the open), so once it would cost about as
    // much as loading the checkpoint, one checkpoint now makes that open a bulk load. Two sync
    // points, as in Compact, so that neither root slot leads to the old journal.
    // If there is no room for it, the journal stays as it is: it is valid, only slower to open.
    // The old index pages it frees are not handed back: the file is closing, and the next open
    // counts every page the new root does not reach as free.
    private void CheckpointIfJournalIsCostly()
    {
        if (!index.WantsCheckpointAtClose) return;
        var freed = new List<Extent>();
        Status s;
        lock (commitLock) s = index.WriteCheckpoint(head, AllocateMeta, NewWriteId, freed, rebase: false, out _);
        if (s != Status.Ok) return;
        SyncPoint(force: true);
        SyncPoint(force: true);
    }
}
