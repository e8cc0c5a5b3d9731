namespace StreamDb.Native;

/// <summary>Asynchronous reads: started here, run on a library thread, then polled or waited
/// for. No callback ever runs on a library thread.</summary>
[CHeader(160)]
public static unsafe class AsyncExports
{
    /// <summary>Starts reading the current version of the document at path in the background
    /// and returns at once.</summary>
    /// <param name="db">The database.</param>
    /// <param name="path">The path's UTF-8 bytes; copied.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <param name="out_op">Receives the operation; free it with streamdb_op_free. The read's
    /// own status (e.g. STREAMDB_ERR_NOT_FOUND) comes from streamdb_op_result.</param>
    /// <returns>STREAMDB_OK (started); STREAMDB_ERR_INVALID; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread; the operation is then used by one thread at a time.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_read_async")]
    public static int streamdb_read_async(DbHandle* db, [Const, CType("const char *")] byte* path, nuint path_len, OpHandle** out_op)
    {
        const string F = nameof(streamdb_read_async);
        try
        {
            if (out_op == null)
                return ErrorState.Invalid($"{F}: out_op is NULL");
            *out_op = null;
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.Bytes(path, path_len, F, "path", out var pathBytes);
            if (s != 0) return s;
            nint handle = Handles.Issue(entry, new AsyncReadEntry(entry, pathBytes.ToArray()));
            if (handle == 0)
                return Handles.OwnerClosed(F);
            *out_op = (OpHandle*)handle;
            return ErrorState.Success();
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Waits until the read is done.</summary>
    /// <param name="op">The operation.</param>
    /// <param name="timeout_ms">-1 waits forever, 0 polls, n &gt; 0 waits at most n ms.</param>
    /// <returns>STREAMDB_OK when done (whatever the read's own status); STREAMDB_ERR_TIMEOUT if
    /// not yet; STREAMDB_ERR_INVALID (bad handle, timeout below -1).</returns>
    /// <remarks>One thread at a time per operation.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_op_wait")]
    public static int streamdb_op_wait(OpHandle* op, [CType("int32_t")] int timeout_ms)
    {
        const string F = nameof(streamdb_op_wait);
        try
        {
            int s = Handles.Get((nint)op, F, "op", out AsyncReadEntry entry);
            if (s != 0) return s;
            if (timeout_ms < -1)
                return ErrorState.Invalid($"{F}: timeout_ms is {timeout_ms}; use -1 (forever), 0 (poll) or a positive count");
            return entry.Wait(timeout_ms)
                ? ErrorState.Success()
                : ErrorState.Fail(StatusCodes.STREAMDB_ERR_TIMEOUT, $"{F}: the read is not done after {timeout_ms} ms");
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>The outcome of a finished read. May be called more than once; each successful
    /// call hands out a new buffer.</summary>
    /// <param name="op">The operation.</param>
    /// <param name="out_data">Receives a malloc'd buffer the caller owns (free() or
    /// streamdb_free_buffer; non-NULL even when empty); NULL unless STREAMDB_OK.</param>
    /// <param name="out_len">Receives the document's length.</param>
    /// <returns>The read's own status: STREAMDB_OK, STREAMDB_ERR_NOT_FOUND, STREAMDB_ERR_INVALID
    /// (also a bad handle), STREAMDB_ERR_CORRUPTED, STREAMDB_ERR_IO, STREAMDB_ERR_INTERNAL; or
    /// STREAMDB_ERR_TIMEOUT when the read is not done yet (call streamdb_op_wait first).</returns>
    /// <remarks>One thread at a time per operation.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_op_result")]
    public static int streamdb_op_result(OpHandle* op, void** out_data, nuint* out_len)
    {
        const string F = nameof(streamdb_op_result);
        try
        {
            if (out_data == null)
                return ErrorState.Invalid($"{F}: out_data is NULL");
            *out_data = null;
            if (out_len == null)
                return ErrorState.Invalid($"{F}: out_len is NULL");
            *out_len = 0;
            int s = Handles.Get((nint)op, F, "op", out AsyncReadEntry entry);
            if (s != 0) return s;
            var task = entry.Task;
            if (!task.IsCompleted)
                return ErrorState.Fail(StatusCodes.STREAMDB_ERR_TIMEOUT, $"{F}: the read is not done yet; call streamdb_op_wait first");
            if (!task.IsCompletedSuccessfully)
            {
                var error = task.Exception?.InnerException;
                return ErrorState.Fail(StatusCodes.STREAMDB_ERR_INTERNAL, $"{F}: internal error: {error?.GetType().Name}: {error?.Message}");
            }
            var outcome = task.Result;
            if (outcome.Status < 0)
            {
                string message = outcome.Message.Length > 0 ? outcome.Message : StatusText.Describe((int)outcome.Status);
                return ErrorState.Fail((int)outcome.Status, $"{F}: {message}");
            }
            var data = outcome.Data ?? [];
            *out_data = NativeBuffer.Copy(data);
            *out_len = (nuint)data.Length;
            return ErrorState.Success();
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Frees the operation; a read still running is cancelled, and everything it holds
    /// is released when it stops. Buffers already handed out by streamdb_op_result stay the caller's.</summary>
    /// <param name="op">The operation, or NULL (nothing happens). Invalid afterwards.</param>
    /// <remarks>One thread at a time per operation. An invalid handle only sets streamdb_errmsg.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_op_free")]
    public static void streamdb_op_free(OpHandle* op) =>
        PathExports.FreeChild<AsyncReadEntry>((nint)op, nameof(streamdb_op_free), "op");
}
