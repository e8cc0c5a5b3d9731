namespace StreamDb.Native;

/// <summary>Open and close.</summary>
[CHeader(110)]
public static unsafe class OpenExports
{
    /// <summary>Fills opts with the defaults and sets opts->struct_size: page_size 8192,
    /// max_document_size 256 MiB, max_db_size 8 TB, page_cache_pages 2048, versions_to_keep 2,
    /// flags 0, flush_interval_ms 0.</summary>
    /// <param name="opts">The caller's struct; NULL does nothing (streamdb_errmsg says so).</param>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_options_init")]
    public static void streamdb_options_init(StreamDbOptions* opts)
    {
        if (opts == null)
        {
            ErrorState.Invalid("streamdb_options_init: opts is NULL");
            return;
        }
        OptionsReader.Init(opts);
        ErrorState.Success();
    }

    /// <summary>Opens (and unless STREAMDB_OPEN_NO_CREATE or STREAMDB_OPEN_READ_ONLY, creates)
    /// the database file. After a crash, opening recovers the last committed state. The open
    /// reads the index and checks its pages. Decoding every index record and finding the free
    /// pages is left to the first call that needs them (a write, batch commit, compact,
    /// streamdb_stats or streamdb_verify), which does it on its own thread before its own work
    /// (about 0.2-0.3 us a document, 20-27 ms for 100,000 on a small VM) while reads go on;
    /// the open starts no thread. Should that find the index inconsistent, writes and
    /// streamdb_verify return STREAMDB_ERR_CORRUPTED (streamdb_errmsg says what) and reads go
    /// on.</summary>
    /// <param name="file">NUL-terminated UTF-8 file name; the caller keeps ownership.</param>
    /// <param name="opts">Options from streamdb_options_init, or NULL for the defaults. Read
    /// only during the call.</param>
    /// <param name="out_db">Receives the handle (NULL on failure). Close it with streamdb_close.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID (NULL argument, file name not UTF-8, bad
    /// options, not a StreamDb file); STREAMDB_ERR_NOT_FOUND (no file
    /// with NO_CREATE or READ_ONLY); STREAMDB_ERR_BUSY (another process has it open for
    /// writing); STREAMDB_ERR_IO; STREAMDB_ERR_CORRUPTED; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread. The handle may then be used from any number of threads.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_open")]
    public static int streamdb_open([Const, CType("const char *")] byte* file, [Const] StreamDbOptions* opts, DbHandle** out_db)
    {
        const string F = nameof(streamdb_open);
        try
        {
            if (out_db == null)
                return ErrorState.Invalid($"{F}: out_db is NULL");
            *out_db = null;
            int s = Args.FileName(file, F, out string name);
            if (s != 0) return s;
            s = OptionsReader.Read(opts, F, out var options);
            if (s != 0) return s;
            var status = Database.Open(name, options, out Database? db);
            if (status < 0 || db == null)
                return ErrorState.From(status < 0 ? status : Status.Internal, F);
            *out_db = (DbHandle*)HandleTable.Add(new DatabaseEntry(db, null));
            return ErrorState.Success();
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Opens a database that lives in memory only: nothing touches the disk, and
    /// everything is gone when it is closed.</summary>
    /// <param name="opts">Options from streamdb_options_init, or NULL for the defaults.</param>
    /// <param name="out_db">Receives the handle (NULL on failure).</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID (NULL out_db, bad options); STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_open_memory")]
    public static int streamdb_open_memory([Const] StreamDbOptions* opts, DbHandle** out_db)
    {
        const string F = nameof(streamdb_open_memory);
        try
        {
            if (out_db == null)
                return ErrorState.Invalid($"{F}: out_db is NULL");
            *out_db = null;
            int s = OptionsReader.Read(opts, F, out var options);
            if (s != 0) return s;
            var status = Database.OpenMemory(options, out Database? db);
            if (status < 0 || db == null)
                return ErrorState.From(status < 0 ? status : Status.Internal, F);
            *out_db = (DbHandle*)HandleTable.Add(new DatabaseEntry(db, null));
            return ErrorState.Success();
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Makes everything committed durable, releases the file lock and closes the
    /// database or snapshot. Every iterator, reader, writer (aborted), batch (aborted),
    /// asynchronous operation and snapshot made from it is released too; their handles become
    /// invalid.</summary>
    /// <param name="db">The handle; invalid afterwards, whatever the status.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID (NULL, closed or unknown handle, e.g. a second
    /// close); STREAMDB_ERR_IO (the final sync failed; the handle is closed anyway).</returns>
    /// <remarks>Call it once no other thread uses db.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_close")]
    public static int streamdb_close(DbHandle* db) => Close(db, nameof(streamdb_close));

    /// <summary>A read-only view of the state committed now: later writes to db do not show
    /// in it. Close it with streamdb_close.</summary>
    /// <param name="db">The database.</param>
    /// <param name="out_snapshot">Receives the snapshot's handle; writes through it get
    /// STREAMDB_ERR_READ_ONLY. It holds the pages of the versions it sees until closed.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_snapshot")]
    public static int streamdb_snapshot(DbHandle* db, DbHandle** out_snapshot)
    {
        const string F = nameof(streamdb_snapshot);
        try
        {
            if (out_snapshot == null)
                return ErrorState.Invalid($"{F}: out_snapshot is NULL");
            *out_snapshot = null;
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            var status = entry.Database.Snapshot(out Database? snapshot);
            if (status < 0 || snapshot == null)
                return ErrorState.From(status < 0 ? status : Status.Internal, F);
            nint handle = Handles.Issue(entry, new DatabaseEntry(snapshot, entry));
            if (handle == 0)
                return Handles.OwnerClosed(F);
            *out_snapshot = (DbHandle*)handle;
            return ErrorState.Success();
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>compat: opens (creating if needed) the database file with default options and
    /// the given flush interval.</summary>
    /// <param name="file">NUL-terminated UTF-8 file name.</param>
    /// <param name="flush_interval_ms">0: every write is durable before it returns; n &gt; 0:
    /// writes are made durable by a background flush at most n ms later. Negative is invalid.</param>
    /// <returns>The handle, or NULL on failure (streamdb_errmsg says why). Close it with
    /// streamdb_free or streamdb_close.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_init")]
    public static DbHandle* streamdb_init([Const, CType("const char *")] byte* file, int flush_interval_ms)
    {
        const string F = nameof(streamdb_init);
        try
        {
            if (Args.FileName(file, F, out string name) != 0)
                return null;
            if (flush_interval_ms < 0)
            {
                ErrorState.Invalid($"{F}: flush_interval_ms is {flush_interval_ms}; it must be 0 or more");
                return null;
            }
            var options = new DatabaseOptions { FlushIntervalMs = flush_interval_ms };
            var status = Database.Open(name, options, out Database? db);
            if (status < 0 || db == null)
            {
                ErrorState.From(status < 0 ? status : Status.Internal, F);
                return null;
            }
            var handle = (DbHandle*)HandleTable.Add(new DatabaseEntry(db, null));
            ErrorState.Success();
            return handle;
        }
        catch (Exception e)
        {
            ErrorState.Internal(F, e);
            return null;
        }
    }

    /// <summary>compat: streamdb_close without the status.</summary>
    /// <param name="db">The handle, or NULL (nothing happens).</param>
    /// <remarks>Call it once no other thread uses db.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_free")]
    public static void streamdb_free(DbHandle* db)
    {
        if (db == null)
        {
            ErrorState.Success();
            return;
        }
        Close(db, nameof(streamdb_free));
    }

    private static int Close(DbHandle* db, string function)
    {
        try
        {
            int s = Handles.Get((nint)db, function, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            if (!Handles.Take(entry))
                return ErrorState.Invalid($"{function}: db was closed by another thread during the call");
            return ErrorState.From(entry.Close(), function);
        }
        catch (Exception e) { return ErrorState.Internal(function, e); }
    }
}
