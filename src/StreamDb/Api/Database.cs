using StreamDb.Documents;
using StreamDb.Engine;
using StreamDb.Index;
using StreamDb.Storage;
using StreamDb.Util;

namespace StreamDb;

/// <summary>
/// A StreamDb database: binary documents under UTF-8 paths in one file (or in memory).
/// Safe to use from any number of threads at once. Readers never wait for writers and see
/// committed states only; one commit is made at a time. Fallible members return a
/// <see cref="Status"/>; the message for the calling thread is in <see cref="LastError.Message"/>.
/// A snapshot is also a Database: read-only, fixed at the state committed when it was taken.
/// </summary>
public sealed class Database : IDisposable
{
    private readonly StorageEngine engine;
    private readonly DbState? snapshot;   // pinned state of a snapshot; null for the live database
    private int closed;

    private Database(StorageEngine engine, DbState? snapshot)
    {
        this.engine = engine;
        this.snapshot = snapshot;
        QuickMode = engine.Options.QuickMode;
    }

    /// <summary>Skip CRC checks on reads through this handle.</summary>
    public bool QuickMode { get; set; }

    public bool IsReadOnly => snapshot is not null || engine.ReadOnly;

    public bool IsSnapshot => snapshot is not null;

    public bool IsClosed => Volatile.Read(ref closed) != 0;

    public int PageSize => engine.PageSize;

    /// <summary>Payload bytes per page, and in the first page of a document (after its header).</summary>
    public (int Page, int FirstPage) PageCapacity => (engine.Reader.Geometry.Capacity, engine.Reader.Geometry.FirstCapacity);

    internal StorageEngine Engine => engine;

    // ---- open / close -------------------------------------------------------------------------

    public static Status Open(string file, DatabaseOptions? options, out Database? db)
    {
        db = null;
        options = options?.Clone() ?? new DatabaseOptions();
        var s = CheckOptions(options);
        if (s != Status.Ok) return s;
        if (string.IsNullOrEmpty(file)) return LastError.Set(Status.InvalidArgument, "file name is empty");
        if (Directory.Exists(file)) return LastError.Set(Status.InvalidArgument, $"'{file}' is a directory, not a database file");
        FileDevice? device = null;
        try
        {
            bool exists = File.Exists(file);
            if (!exists && (options.NoCreate || options.ReadOnly))
                return LastError.Set(Status.NotFound, $"'{file}' does not exist");
            // zero-filled steps pay off only when commits sync one by one (see FileGrowth)
            var growth = options.FlushIntervalMs > 0 || options.NoSync ? FileGrowth.Allocate : FileGrowth.ZeroFill;
            device = FileDevice.Open(file, options.ReadOnly, create: !options.NoCreate, syncEnabled: !options.NoSync, growth);
            device.MaxLength = options.MaxDbSize;
            s = OpenOn(device, options, out db);
            if (s != Status.Ok) device.Dispose();
            return s;
        }
        catch (Exception e)
        {
            device?.Dispose();
            return ErrorMapping.FromException(e);
        }
    }

    public static Status OpenMemory(DatabaseOptions? options, out Database? db)
    {
        db = null;
        options = options?.Clone() ?? new DatabaseOptions();
        options.ReadOnly = false;
        var s = CheckOptions(options);
        return s != Status.Ok ? s : OpenOn(new MemoryDevice(), options, out db);
    }

    /// <summary>Opens over any device (tests use the fault-injecting one).</summary>
    internal static Status OpenOn(IStorageDevice device, DatabaseOptions options, out Database? db)
    {
        db = null;
        try
        {
            var s = StorageEngine.Open(device, options, options.ReadOnly, out var engine);
            if (s != Status.Ok) return s;
            db = new Database(engine!, null);
            LastError.Clear();
            return Status.Ok;
        }
        catch (Exception e)
        {
            return ErrorMapping.FromException(e);
        }
    }

    public static Database Open(string file, DatabaseOptions? options = null)
    {
        Open(file, options, out var db).ThrowIfError();
        return db!;
    }

    public static Database OpenMemory(DatabaseOptions? options = null)
    {
        OpenMemory(options, out var db).ThrowIfError();
        return db!;
    }

    private static Status CheckOptions(DatabaseOptions o)
    {
        if (o.PageSize == 0) o.PageSize = DatabaseOptions.DefaultPageSize;
        if (!Format.FileHeader.IsValidPageSize(o.PageSize))
            return LastError.Set(Status.InvalidArgument, $"page size {o.PageSize} is not a power of two from 4096 to 65536");
        if (o.MaxDocumentSize <= 0 || o.MaxDbSize <= 0 || o.MaxPages <= 1 || o.PageCachePages < 0 || o.VersionsToKeep < 0 || o.FlushIntervalMs < 0)
            return LastError.Set(Status.InvalidArgument, "options out of range (sizes must be positive, counts non-negative)");
        return Status.Ok;
    }

    /// <summary>Makes everything durable and releases the file. Closing twice is InvalidArgument.</summary>
    public Status Close()
    {
        if (Interlocked.Exchange(ref closed, 1) != 0) return LastError.Set(Status.InvalidArgument, "the database is already closed");
        try
        {
            if (snapshot is not null) engine.Unpin(snapshot);
            else engine.Close();
            return Status.Ok;
        }
        catch (Exception e)
        {
            return ErrorMapping.FromException(e);
        }
    }

    public void Dispose()
    {
        if (!IsClosed) Close();
    }

    /// <summary>A read-only view of the state committed now. Close it (before its database).</summary>
    public Status Snapshot(out Database? view)
    {
        view = null;
        if (IsClosed) return Closed();
        view = new Database(engine, snapshot is not null ? engine.PinAgain(snapshot) : engine.Pin()) { QuickMode = QuickMode };
        return Status.Ok;
    }

    private static Status Closed() => LastError.Set(Status.InvalidArgument, "the database is closed");

    private Status CheckWrite()
    {
        if (IsClosed) return Closed();
        if (snapshot is not null) return LastError.Set(Status.ReadOnly, "a snapshot is read-only");
        return engine.CheckWritable();
    }

    // ---- reading ------------------------------------------------------------------------------

    private DbState PinState() => snapshot ?? engine.Pin();

    private void Unpin(DbState s)
    {
        if (snapshot is null) engine.Unpin(s);
    }

    internal bool Quick(bool? quick) => quick ?? QuickMode;

    private static Status NotBound(ReadOnlySpan<byte> path) => LastError.Set(Status.NotFound, $"path '{PathText.Show(path)}' is not bound");

    // the current version as a value: a whole read of a checkpoint document allocates nothing
    private static Status ResolveNewest(DbState s, ReadOnlySpan<byte> path, out Guid id, out VersionInfo version) =>
        s.TryResolveNewest(path, out id, out version) ? Status.Ok : NotBound(path);

    private static Status ResolveVersion(DbState s, ReadOnlySpan<byte> path, int versionsBack, out Guid id, out DocVersion version)
    {
        version = null!;
        if (!s.TryResolveVersions(path, out id, out var versions)) return NotBound(path);
        if (versionsBack < 0 || versionsBack >= versions.Length)
            return LastError.Set(Status.NotFound, $"'{PathText.Show(path)}' has no version {versionsBack} back ({versions.Length - 1} old versions kept)");
        version = versions[versionsBack];
        return Status.Ok;
    }

    /// <summary>Reads a whole document (or an older version) into a new array.</summary>
    public Status Read(ReadOnlySpan<byte> path, out byte[]? data, int versionsBack = 0, bool? quick = null)
    {
        data = null;
        if (IsClosed) return Closed();
        var s = PathRules.Validate(path);
        if (s != Status.Ok) return s;
        DbState? st = null;
        try
        {
            st = PinState();
            s = ResolveVersion(st, path, versionsBack, out var id, out var v);
            if (s != Status.Ok) return s;
            var buffer = v.Length == 0 ? [] : GC.AllocateUninitializedArray<byte>(checked((int)v.Length));
            s = engine.Content.Read(id, in v.Info, 0, buffer, Quick(quick));
            if (s != Status.Ok) return s;
            data = buffer;
            return Status.Ok;
        }
        catch (Exception e) { return ErrorMapping.FromException(e); }
        finally { if (st is not null) Unpin(st); }
    }

    /// <summary>Copies up to destination.Length bytes from <paramref name="offset"/>; copied is 0 at or past the end.</summary>
    public Status ReadInto(ReadOnlySpan<byte> path, long offset, Span<byte> destination, out int copied, bool? quick = null)
    {
        copied = 0;
        if (IsClosed) return Closed();
        var s = PathRules.Validate(path);
        if (s != Status.Ok) return s;
        if (offset < 0) return LastError.Set(Status.InvalidArgument, "offset is negative");
        DbState? st = null;
        try
        {
            st = PinState();
            s = ResolveNewest(st, path, out var id, out var v);
            if (s != Status.Ok) return s;
            if (offset >= v.Length) return Status.Ok;
            int n = (int)Math.Min(destination.Length, v.Length - offset);
            s = engine.Content.Read(id, in v, offset, destination[..n], Quick(quick));
            if (s == Status.Ok) copied = n;
            return s;
        }
        catch (Exception e) { return ErrorMapping.FromException(e); }
        finally { if (st is not null) Unpin(st); }
    }

    /// <summary>A streaming reader of the version current now (or older); it keeps reading that
    /// version even if the document is overwritten or deleted meanwhile. Dispose it.</summary>
    public Status OpenReader(ReadOnlySpan<byte> path, out DocumentReader? reader, int versionsBack = 0, bool? quick = null)
    {
        reader = null;
        if (IsClosed) return Closed();
        var s = PathRules.Validate(path);
        if (s != Status.Ok) return s;
        DbState? st = null;
        try
        {
            st = snapshot is not null ? engine.PinAgain(snapshot) : engine.Pin();
            s = ResolveVersion(st, path, versionsBack, out var id, out var v);
            if (s != Status.Ok) { engine.Unpin(st); return s; }
            reader = new DocumentReader(engine, st, id, v, Quick(quick));
            return Status.Ok;
        }
        catch (Exception e)
        {
            if (st is not null && reader is null) engine.Unpin(st);
            return ErrorMapping.FromException(e);
        }
    }

    public Status Stat(ReadOnlySpan<byte> path, out DocumentInfo info)
    {
        info = default;
        if (IsClosed) return Closed();
        var s = PathRules.Validate(path);
        if (s != Status.Ok) return s;
        // (lookups read index pages that an open left unread: they can fail, see RecordPages)
        try
        {
            var st = snapshot ?? engine.Current;
            if (!st.TryResolve(path, out var doc)) return LastError.Set(Status.NotFound, $"path '{PathText.Show(path)}' is not bound");
            info = Info(doc);
            return Status.Ok;
        }
        catch (Exception e) { return ErrorMapping.FromException(e); }
    }

    /// <summary>Information about a document by id.</summary>
    public Status Stat(Guid id, out DocumentInfo info)
    {
        info = default;
        if (IsClosed) return Closed();
        try
        {
            var st = snapshot ?? engine.Current;
            if (!st.Docs.TryGetValue(id, out var doc)) return LastError.Set(Status.NotFound, $"no document {id}");
            info = Info(doc);
            return Status.Ok;
        }
        catch (Exception e) { return ErrorMapping.FromException(e); }
    }

    private static DocumentInfo Info(DocRecord doc) =>
        new(doc.Id, doc.Current.Length, doc.Current.Number, doc.Paths.Count, doc.Versions.Length - 1);

    public Status GetId(ReadOnlySpan<byte> path, out Guid id)
    {
        id = default;
        if (IsClosed) return Closed();
        var s = PathRules.Validate(path);
        if (s != Status.Ok) return s;
        try
        {
            var st = snapshot ?? engine.Current;
            if (!st.Paths.TryGetValue(path, out id)) return LastError.Set(Status.NotFound, $"path '{PathText.Show(path)}' is not bound");
            return Status.Ok;
        }
        catch (Exception e) { return ErrorMapping.FromException(e); }
    }

    /// <summary>Every bound path starting with <paramref name="prefix"/> (byte-wise; the exact
    /// match included; empty lists all), in byte order, as of this call.</summary>
    public Status Search(ReadOnlySpan<byte> prefix, out PathCursor? cursor)
    {
        cursor = null;
        if (IsClosed) return Closed();
        var s = PathRules.ValidatePrefix(prefix);
        if (s != Status.Ok) return s;
        try
        {
            cursor = new PathCursor((snapshot ?? engine.Current).Paths, prefix.ToArray());
            return Status.Ok;
        }
        catch (Exception e) { return ErrorMapping.FromException(e); }
    }

    /// <summary>The paths bound to a document, in byte order.</summary>
    public Status ListPaths(Guid id, out PathCursor? cursor)
    {
        cursor = null;
        if (IsClosed) return Closed();
        try
        {
            var st = snapshot ?? engine.Current;
            if (!st.Docs.TryGetValue(id, out var doc)) return LastError.Set(Status.NotFound, $"no document {id}");
            cursor = new PathCursor(PathIndex.Of(doc.Paths.ToTree(doc.Id)), []);
            return Status.Ok;
        }
        catch (Exception e) { return ErrorMapping.FromException(e); }
    }

    // ---- writing ------------------------------------------------------------------------------

    public Status Write(ReadOnlySpan<byte> path, ReadOnlySpan<byte> data, out Guid id)
    {
        id = default;
        var s = CheckWrite();
        if (s != Status.Ok) return s;
        s = PathRules.Validate(path);
        if (s != Status.Ok) return s;
        if (data.Length > engine.Options.MaxDocumentSize)
            return LastError.Set(Status.TooLarge, $"document of {data.Length} bytes exceeds max_document_size ({engine.Options.MaxDocumentSize})");
        try
        {
            using var w = engine.NewEncoder(data.Length, alone: true);
            s = w.Append(data);
            if (s != Status.Ok) return s;
            return CommitChain(path, w, out id);
        }
        catch (Exception e) { return ErrorMapping.FromException(e); }
    }

    /// <summary>Writes a document from a stream whose length need not be known.</summary>
    public Status Write(ReadOnlySpan<byte> path, Stream data, out Guid id)
    {
        id = default;
        if (data is null) return LastError.Set(Status.InvalidArgument, "stream is null");
        var s = OpenWriter(path, out var writer);
        if (s != Status.Ok) return s;
        using (writer)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = data.Read(buffer, 0, buffer.Length)) > 0)
                {
                    s = writer!.Write(buffer.AsSpan(0, n));
                    if (s != Status.Ok) return s;
                }
            }
            catch (IOException e) { return LastError.Set(Status.IOError, "reading the source stream failed: " + e.Message); }
            return writer!.Commit(out id);
        }
    }

    /// <summary>Finishes <paramref name="w"/> and commits it as the new version at <paramref name="path"/>.</summary>
    internal Status CommitChain(ReadOnlySpan<byte> path, DocumentEncoder w, out Guid id)
    {
        id = default;
        var s = w.Finish();
        if (s != Status.Ok) return s;
        // The data goes out before the commit lock, stamped with the likely id and number (the
        // commit writes the first page again in the rare case another commit came first).
        var (guessId, guessNumber) = engine.PredictWrite(path);
        s = w.WriteAhead(guessId, guessNumber);
        if (s != Status.Ok) return s;
        return CommitFinished(path, w, guessId, out id);
    }

    /// <summary>Commits a finished chain at <paramref name="path"/>; <paramref name="newId"/> is
    /// the id it gets if the path is unbound.</summary>
    internal Status CommitFinished(ReadOnlySpan<byte> path, DocumentEncoder w, Guid newId, out Guid id)
    {
        id = default;
        var chain = w.Prepared;
        byte[] p = path.ToArray();
        Guid result = default;
        int keep = engine.Options.VersionsToKeep;
        var s = engine.Commit((ed, firsts) =>
        {
            var v = ed.WriteVersion(p, newId, chain!, keep, out var docId);
            firsts.Add((w, docId, v.Number));
            result = docId;
            return Status.Ok;
        });
        if (s != Status.Ok)
        {
            w.Abandon();
            return s;
        }
        id = result;
        return Status.Ok;
    }

    /// <summary>A streaming writer of a new version at <paramref name="path"/>. Commit or dispose it.</summary>
    public Status OpenWriter(ReadOnlySpan<byte> path, out DocumentWriter? writer)
    {
        writer = null;
        var s = CheckWrite();
        if (s != Status.Ok) return s;
        s = PathRules.Validate(path);
        if (s != Status.Ok) return s;
        writer = new DocumentWriter(this, path.ToArray(), engine.NewEncoder(alone: true));
        return Status.Ok;
    }

    /// <summary>Unbinds the path; the document is deleted when no path is left.</summary>
    public Status Delete(ReadOnlySpan<byte> path)
    {
        var s = CheckWrite();
        if (s != Status.Ok) return s;
        s = PathRules.Validate(path);
        if (s != Status.Ok) return s;
        byte[] p = path.ToArray();
        return Guarded(() => engine.Commit((ed, _) => ed.DeletePath(p)));
    }

    /// <summary>Deletes the document and all its paths.</summary>
    public Status Delete(Guid id)
    {
        var s = CheckWrite();
        if (s != Status.Ok) return s;
        return Guarded(() => engine.Commit((ed, _) => ed.DeleteId(id)));
    }

    /// <summary>Binds another path to a document; a path bound elsewhere is rebound (that document
    /// is deleted when it has no path left).</summary>
    public Status Bind(Guid id, ReadOnlySpan<byte> path)
    {
        var s = CheckWrite();
        if (s != Status.Ok) return s;
        s = PathRules.Validate(path);
        if (s != Status.Ok) return s;
        byte[] p = path.ToArray();
        return Guarded(() => engine.Commit((ed, _) => ed.BindPath(id, p)));
    }

    /// <summary>Unbinds a path from a document; the document stays (reachable by id).</summary>
    public Status Unbind(Guid id, ReadOnlySpan<byte> path)
    {
        var s = CheckWrite();
        if (s != Status.Ok) return s;
        s = PathRules.Validate(path);
        if (s != Status.Ok) return s;
        byte[] p = path.ToArray();
        return Guarded(() => engine.Commit((ed, _) => ed.UnbindPath(id, p)));
    }

    /// <summary>An atomic group of writes and deletes, committed with one sync.</summary>
    public Status BeginBatch(out WriteBatch? batch)
    {
        batch = null;
        var s = CheckWrite();
        if (s != Status.Ok) return s;
        batch = new WriteBatch(this);
        return Status.Ok;
    }


    internal Status CheckWritable() => CheckWrite();

    private static Status Guarded(Func<Status> f)
    {
        try { return f(); }
        catch (Exception e) { return ErrorMapping.FromException(e); }
    }

    // ---- maintenance --------------------------------------------------------------------------

    /// <summary>Everything committed so far is durable on return.</summary>
    public Status Flush()
    {
        if (IsClosed) return Closed();
        return snapshot is not null ? Status.Ok : Guarded(engine.Flush);
    }

    public Status GetStats(out DatabaseStats stats)
    {
        stats = default;
        if (IsClosed) return Closed();
        try
        {
            stats = engine.Stats();
            if (snapshot is not null)
                stats = stats with { Documents = snapshot.Docs.Count, Paths = snapshot.Paths.Count };
            return Status.Ok;
        }
        catch (Exception e) { return ErrorMapping.FromException(e); }
    }

    /// <summary>Checks every page, chain, CRC and index entry: Ok, or Corrupted with the first problem.</summary>
    public Status Verify()
    {
        if (IsClosed) return Closed();
        return Guarded(() => Verifier.Run(engine, snapshot));
    }

    /// <summary>Returns trailing free pages to the file system.</summary>
    public Status Compact()
    {
        var s = CheckWrite();
        return s != Status.Ok ? s : Guarded(engine.Compact);
    }

    // ---- managed conveniences (throwing) ------------------------------------------------------

    private static byte[] Utf8(string path)
    {
        PathRules.Encode(path, out var bytes).ThrowIfError();
        return bytes;
    }

    public Guid Write(string path, ReadOnlySpan<byte> data)
    {
        Write(Utf8(path), data, out var id).ThrowIfError();
        return id;
    }

    public byte[] Read(string path, int versionsBack = 0)
    {
        Read(Utf8(path), out var data, versionsBack).ThrowIfError();
        return data!;
    }

    public bool Exists(string path) => GetId(Utf8(path), out _) == Status.Ok;

    public void Delete(string path) => Delete(Utf8(path)).ThrowIfError();

    public IReadOnlyList<string> Search(string prefix)
    {
        Search(Utf8(prefix), out var cursor).ThrowIfError();
        using (cursor) return cursor!.ToStringList();
    }

    public DocumentInfo Stat(string path)
    {
        Stat(Utf8(path), out var info).ThrowIfError();
        return info;
    }

    /// <summary>Reads a document in the background (thread pool; concurrent reads overlap their
    /// I/O) and completes with its bytes. A token cancelled before the read starts cancels it.</summary>
    public ValueTask<byte[]> ReadAsync(string path, CancellationToken cancellationToken = default) =>
        ReadAsync(Utf8(path), cancellationToken);

    /// <summary>As <see cref="ReadAsync(string, CancellationToken)"/>, for a UTF-8 path; errors
    /// complete the task with a <see cref="StreamDbException"/> carrying the status.</summary>
    public ValueTask<byte[]> ReadAsync(ReadOnlyMemory<byte> path, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<byte[]>(cancellationToken);
        return new ValueTask<byte[]>(Task.Run(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            Read(path.Span, out var data).ThrowIfError();
            return data!;
        }, cancellationToken));
    }
}
