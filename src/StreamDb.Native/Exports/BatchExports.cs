namespace StreamDb.Native;

/// <summary>Batches: atomic groups of writes and deletes, all or nothing, made durable with one sync.</summary>
[CHeader(150)]
public static unsafe class BatchExports
{
    /// <summary>Starts an empty batch.</summary>
    /// <param name="db">The database.</param>
    /// <param name="out_batch">Receives the batch; finish it with streamdb_batch_commit or
    /// streamdb_batch_abort.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID; STREAMDB_ERR_READ_ONLY; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread; the batch is then used by one thread at a time.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_batch_begin")]
    public static int streamdb_batch_begin(DbHandle* db, BatchHandle** out_batch)
    {
        const string F = nameof(streamdb_batch_begin);
        try
        {
            if (out_batch == null)
                return ErrorState.Invalid($"{F}: out_batch is NULL");
            *out_batch = null;
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            var status = entry.Database.BeginBatch(out WriteBatch? batch);
            if (status < 0 || batch == null)
            {
                batch?.Dispose();
                return ErrorState.From(status < 0 ? status : Status.Internal, F);
            }
            nint handle = Handles.Issue(entry, new BatchEntry(batch, entry));
            if (handle == 0)
                return Handles.OwnerClosed(F);
            *out_batch = (BatchHandle*)handle;
            return ErrorState.Success();
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Adds a write of data at path to the batch (applied at commit). The data is
    /// written to free pages now. A document that fits in half a page is packed with the batch's
    /// other small documents into shared pages, so a batch of small documents takes about their
    /// size on disk. The last page of a larger document, when it holds less than half a page,
    /// goes into a shared page right before or after the document's own pages (one read still
    /// fetches both): 8-12 KB documents take about 1.25x their size instead of 1.6x. A document
    /// written alone takes whole pages.</summary>
    /// <param name="b">The batch.</param>
    /// <param name="path">The path's UTF-8 bytes; copied.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <param name="data">The document's bytes; copied. May be NULL when len is 0.</param>
    /// <param name="len">Bytes of data.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID; STREAMDB_ERR_TOO_LARGE; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>One thread at a time per batch.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_batch_write")]
    public static int streamdb_batch_write(BatchHandle* b, [Const, CType("const char *")] byte* path, nuint path_len, [Const] void* data, nuint len)
    {
        const string F = nameof(streamdb_batch_write);
        try
        {
            int s = Handles.Get((nint)b, F, "b", out BatchEntry entry);
            if (s != 0) return s;
            s = Args.Bytes(path, path_len, F, "path", out var pathBytes);
            if (s != 0) return s;
            s = Args.Data(data, len, F);
            if (s != 0) return s;
            if (len > int.MaxValue)
                return ErrorState.Fail(StatusCodes.STREAMDB_ERR_TOO_LARGE, $"{F}: len {len} is too large for a batch; use streamdb_writer_open");
            return ErrorState.From(entry.Batch.Write(pathBytes, new ReadOnlySpan<byte>(data, (int)len)), F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Adds a delete of path to the batch. Checked at commit: if path is unbound
    /// then, the whole batch fails with STREAMDB_ERR_NOT_FOUND.</summary>
    /// <param name="b">The batch.</param>
    /// <param name="path">The path's UTF-8 bytes; copied.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>One thread at a time per batch.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_batch_delete")]
    public static int streamdb_batch_delete(BatchHandle* b, [Const, CType("const char *")] byte* path, nuint path_len)
    {
        const string F = nameof(streamdb_batch_delete);
        try
        {
            int s = Handles.Get((nint)b, F, "b", out BatchEntry entry);
            if (s != 0) return s;
            s = Args.Bytes(path, path_len, F, "path", out var pathBytes);
            if (s != 0) return s;
            return ErrorState.From(entry.Batch.Delete(pathBytes), F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Applies every write and delete of the batch atomically (all or nothing, one
    /// sync) and frees the batch, whatever the status.</summary>
    /// <param name="b">The batch; invalid afterwards.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_NOT_FOUND (a delete of an unbound path: nothing was
    /// applied); STREAMDB_ERR_INVALID; STREAMDB_ERR_READ_ONLY; STREAMDB_ERR_FULL; STREAMDB_ERR_CORRUPTED; STREAMDB_ERR_IO;
    /// STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>One thread at a time per batch.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_batch_commit")]
    public static int streamdb_batch_commit(BatchHandle* b)
    {
        const string F = nameof(streamdb_batch_commit);
        try
        {
            int s = Handles.Get((nint)b, F, "b", out BatchEntry entry);
            if (s != 0) return s;
            if (!Handles.Take(entry))
                return ErrorState.Invalid($"{F}: b was finished by another thread during the call");
            try
            {
                return ErrorState.From(entry.Batch.Commit(), F);
            }
            finally
            {
                entry.Release();
            }
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Discards the batch: nothing of it is applied. Frees the batch.</summary>
    /// <param name="b">The batch, or NULL (nothing happens). Invalid afterwards.</param>
    /// <remarks>One thread at a time per batch. An invalid handle only sets streamdb_errmsg.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_batch_abort")]
    public static void streamdb_batch_abort(BatchHandle* b) =>
        PathExports.FreeChild<BatchEntry>((nint)b, nameof(streamdb_batch_abort), "b");
}
