namespace StreamDb.Native;

/// <summary>Documents.</summary>
[CHeader(120)]
public static unsafe class DocumentExports
{
    /// <summary>Writes data as the new version of the document bound at path, or as a new
    /// document if path is unbound. Atomic: readers see the old or the new version, never a
    /// mix; durable on return unless a flush interval or STREAMDB_OPEN_NO_SYNC is set.</summary>
    /// <param name="db">The database.</param>
    /// <param name="path">The path's UTF-8 bytes (no NUL needed); read during the call only.</param>
    /// <param name="path_len">Bytes of path: 1..4096.</param>
    /// <param name="data">The document's bytes; read during the call only. May be NULL when len is 0.</param>
    /// <param name="len">Bytes of data; 0 makes an empty document.</param>
    /// <param name="out_id">Receives the document's id; may be NULL.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID (handle, NULL pointer with a length, path not
    /// 1..4096 bytes of UTF-8 without NUL); STREAMDB_ERR_TOO_LARGE (len over max_document_size);
    /// STREAMDB_ERR_READ_ONLY; STREAMDB_ERR_FULL; STREAMDB_ERR_CORRUPTED; STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.
    /// On any error nothing changed.</returns>
    /// <remarks>Any thread; writers are serialized inside the library.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_write")]
    public static int streamdb_write(DbHandle* db, [Const, CType("const char *")] byte* path, nuint path_len,
        [Const] void* data, nuint len, StreamDbId* out_id) =>
        Write(db, path, path_len, data, len, out_id, nameof(streamdb_write), "path");

    /// <summary>compat: streamdb_write without the id.</summary>
    /// <param name="db">The database.</param>
    /// <param name="key">The path's UTF-8 bytes.</param>
    /// <param name="key_len">Bytes of key: 1..4096.</param>
    /// <param name="value">The document's bytes; may be NULL when value_size is 0.</param>
    /// <param name="value_size">Bytes of value.</param>
    /// <returns>0 (STREAMDB_OK) on success; the statuses of streamdb_write.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_insert")]
    public static int streamdb_insert(DbHandle* db, [Const, CType("const char *")] byte* key, nuint key_len,
        [Const] void* value, nuint value_size) =>
        Write(db, key, key_len, value, value_size, null, nameof(streamdb_insert), "key");

    private static int Write(DbHandle* db, byte* path, nuint pathLen, void* data, nuint len, StreamDbId* outId, string function, string pathName)
    {
        try
        {
            int s = Handles.Get((nint)db, function, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.Bytes(path, pathLen, function, pathName, out var pathBytes);
            if (s != 0) return s;
            s = Args.Data(data, len, function);
            if (s != 0) return s;
            Status status;
            Guid id;
            if (len <= int.MaxValue)
            {
                status = entry.Database.Write(pathBytes, new ReadOnlySpan<byte>(data, (int)len), out id);
            }
            else
            {
                // Past what a span can hold the engine takes a stream over the caller's memory.
                using var stream = new UnmanagedMemoryStream((byte*)data, (long)len);
                status = entry.Database.Write(pathBytes, stream, out id);
            }
            if (status == Status.Ok)
                Ids.Write(id, outId);
            return ErrorState.From(status, function);
        }
        catch (Exception e) { return ErrorState.Internal(function, e); }
    }

    /// <summary>Reads the current version of the document at path into a new buffer.</summary>
    /// <param name="db">The database.</param>
    /// <param name="path">The path's UTF-8 bytes.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <param name="out_data">Receives a malloc'd buffer that the caller owns (free it with
    /// streamdb_free_buffer or free()); non-NULL even for an empty document; NULL on failure.</param>
    /// <param name="out_len">Receives the document's length.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_NOT_FOUND; STREAMDB_ERR_INVALID; STREAMDB_ERR_CORRUPTED
    /// (a CRC check failed; not checked in quick mode); STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_read")]
    public static int streamdb_read(DbHandle* db, [Const, CType("const char *")] byte* path, nuint path_len,
        void** out_data, nuint* out_len) =>
        ReadVersion(db, path, path_len, 0, out_data, out_len, nameof(streamdb_read));

    /// <summary>Copies up to cap bytes of the current version of the document at path,
    /// starting at offset, into the caller's buffer.</summary>
    /// <param name="db">The database.</param>
    /// <param name="path">The path's UTF-8 bytes.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <param name="offset">First byte to copy.</param>
    /// <param name="buf">The caller's buffer; may be NULL only when cap is 0.</param>
    /// <param name="cap">Bytes buf can hold.</param>
    /// <param name="out_len">Receives the bytes copied: 0 at or past the end.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_NOT_FOUND; STREAMDB_ERR_INVALID; STREAMDB_ERR_CORRUPTED;
    /// STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_read_into")]
    public static int streamdb_read_into(DbHandle* db, [Const, CType("const char *")] byte* path, nuint path_len,
        ulong offset, void* buf, nuint cap, nuint* out_len)
    {
        const string F = nameof(streamdb_read_into);
        try
        {
            if (out_len == null)
                return ErrorState.Invalid($"{F}: out_len is NULL");
            *out_len = 0;
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.Bytes(path, path_len, F, "path", out var pathBytes);
            if (s != 0) return s;
            if (buf == null && cap != 0)
                return ErrorState.Invalid($"{F}: buf is NULL but cap is {cap}");
            var destination = new Span<byte>(buf, (int)Math.Min(cap, (nuint)int.MaxValue));
            var status = entry.Database.ReadInto(pathBytes, (long)Math.Min(offset, (ulong)long.MaxValue), destination, out int copied);
            if (status == Status.Ok)
                *out_len = (nuint)copied;
            return ErrorState.From(status, F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Reads an older version of the document at path into a new buffer.</summary>
    /// <param name="db">The database.</param>
    /// <param name="path">The path's UTF-8 bytes.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <param name="versions_back">0 = the current version, 1 = the previous one, ...</param>
    /// <param name="out_data">Receives a malloc'd buffer the caller owns (non-NULL even when empty).</param>
    /// <param name="out_len">Receives its length.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_NOT_FOUND (no such path, or that version is no longer
    /// kept: see versions_to_keep); STREAMDB_ERR_INVALID; STREAMDB_ERR_CORRUPTED; STREAMDB_ERR_IO;
    /// STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_read_version")]
    public static int streamdb_read_version(DbHandle* db, [Const, CType("const char *")] byte* path, nuint path_len,
        uint versions_back, void** out_data, nuint* out_len) =>
        ReadVersion(db, path, path_len, versions_back, out_data, out_len, nameof(streamdb_read_version));

    private static int ReadVersion(DbHandle* db, byte* path, nuint pathLen, uint versionsBack, void** outData, nuint* outLen, string function)
    {
        try
        {
            if (outData == null)
                return ErrorState.Invalid($"{function}: out_data is NULL");
            *outData = null;
            if (outLen == null)
                return ErrorState.Invalid($"{function}: out_len is NULL");
            *outLen = 0;
            int s = Handles.Get((nint)db, function, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.Bytes(path, pathLen, function, "path", out var pathBytes);
            if (s != 0) return s;
            var status = NativeBuffer.ReadWhole(entry.Database, pathBytes, (int)Math.Min(versionsBack, (uint)int.MaxValue), out byte* data, out long length);
            if (status == Status.Ok)
            {
                *outData = data;
                *outLen = (nuint)length;
            }
            return ErrorState.From(status, function);
        }
        catch (Exception e) { return ErrorState.Internal(function, e); }
    }

    /// <summary>compat: the whole current version of the document at key.</summary>
    /// <param name="db">The database.</param>
    /// <param name="key">The path's UTF-8 bytes.</param>
    /// <param name="key_len">Bytes of key.</param>
    /// <param name="size_out">Receives the document's length (0 on failure); may be NULL.</param>
    /// <returns>A malloc'd buffer the caller owns (free() or streamdb_free_buffer), non-NULL
    /// even for an empty document; NULL when the path is unbound or on error (streamdb_errmsg
    /// says which; it is "" after a success).</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_get")]
    public static void* streamdb_get(DbHandle* db, [Const, CType("const char *")] byte* key, nuint key_len, nuint* size_out)
    {
        const string F = nameof(streamdb_get);
        try
        {
            if (size_out != null)
                *size_out = 0;
            if (Handles.Get((nint)db, F, "db", out DatabaseEntry entry) != 0)
                return null;
            if (Args.Bytes(key, key_len, F, "key", out var pathBytes) != 0)
                return null;
            var status = NativeBuffer.ReadWhole(entry.Database, pathBytes, 0, out byte* data, out long length);
            if (status != Status.Ok)
            {
                ErrorState.From(status, F);
                return null;
            }
            if (size_out != null)
                *size_out = (nuint)length;
            ErrorState.Success();
            return data;
        }
        catch (Exception e)
        {
            ErrorState.Internal(F, e);
            return null;
        }
    }

    /// <summary>Describes the document bound at path: id, size, version, paths, old versions kept.</summary>
    /// <param name="db">The database.</param>
    /// <param name="path">The path's UTF-8 bytes.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <param name="out_info">The caller's struct; set out_info->struct_size first (or zero it).</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_NOT_FOUND; STREAMDB_ERR_INVALID; STREAMDB_ERR_IO;
    /// STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_stat")]
    public static int streamdb_stat(DbHandle* db, [Const, CType("const char *")] byte* path, nuint path_len, StreamDbDocInfo* out_info)
    {
        const string F = nameof(streamdb_stat);
        try
        {
            int s = Args.NotNull(out_info, F, "out_info");
            if (s != 0) return s;
            s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.Bytes(path, path_len, F, "path", out var pathBytes);
            if (s != 0) return s;
            var status = entry.Database.Stat(pathBytes, out DocumentInfo info);
            if (status != Status.Ok)
                return ErrorState.From(status, F);
            var result = new StreamDbDocInfo
            {
                size = (ulong)info.Size,
                version = (ulong)info.Version,
                path_count = (uint)info.PathCount,
                versions_kept = (uint)info.VersionsKept,
            };
            Ids.Write(info.Id, &result.id);
            s = SizedOutput.Write(out_info, result, F, "out_info");
            return s != 0 ? s : ErrorState.Success();
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Unbinds path; the document is deleted when no path is left bound to it.</summary>
    /// <param name="db">The database.</param>
    /// <param name="path">The path's UTF-8 bytes.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_NOT_FOUND (path unbound); STREAMDB_ERR_INVALID;
    /// STREAMDB_ERR_READ_ONLY; STREAMDB_ERR_FULL; STREAMDB_ERR_CORRUPTED; STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_delete")]
    public static int streamdb_delete(DbHandle* db, [Const, CType("const char *")] byte* path, nuint path_len)
    {
        const string F = nameof(streamdb_delete);
        try
        {
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.Bytes(path, path_len, F, "path", out var pathBytes);
            if (s != 0) return s;
            return ErrorState.From(entry.Database.Delete(pathBytes), F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Deletes the document and unbinds all its paths.</summary>
    /// <param name="db">The database.</param>
    /// <param name="id">The document's id; read during the call only.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_NOT_FOUND; STREAMDB_ERR_INVALID; STREAMDB_ERR_READ_ONLY;
    /// STREAMDB_ERR_FULL; STREAMDB_ERR_CORRUPTED; STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_delete_id")]
    public static int streamdb_delete_id(DbHandle* db, [Const] StreamDbId* id)
    {
        const string F = nameof(streamdb_delete_id);
        try
        {
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.NotNull(id, F, "id");
            if (s != 0) return s;
            return ErrorState.From(entry.Database.Delete(Ids.Read(id)), F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }
}
