using System.Runtime.InteropServices;

namespace StreamDb.Native;

/// <summary>Paths: ids, binding, search.</summary>
[CHeader(130)]
public static unsafe class PathExports
{
    /// <summary>The id of the document bound at path.</summary>
    /// <param name="db">The database.</param>
    /// <param name="path">The path's UTF-8 bytes.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <param name="out_id">Receives the id.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_NOT_FOUND; STREAMDB_ERR_INVALID; STREAMDB_ERR_IO;
    /// STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_get_id")]
    public static int streamdb_get_id(DbHandle* db, [Const, CType("const char *")] byte* path, nuint path_len, StreamDbId* out_id)
    {
        const string F = nameof(streamdb_get_id);
        try
        {
            int s = Args.NotNull(out_id, F, "out_id");
            if (s != 0) return s;
            s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.Bytes(path, path_len, F, "path", out var pathBytes);
            if (s != 0) return s;
            var status = entry.Database.GetId(pathBytes, out Guid id);
            if (status == Status.Ok)
                Ids.Write(id, out_id);
            return ErrorState.From(status, F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Binds another path to an existing document. A path bound to another document
    /// is rebound (that document is deleted if no path is left to it).</summary>
    /// <param name="db">The database.</param>
    /// <param name="id">The document's id.</param>
    /// <param name="path">The path's UTF-8 bytes.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_NOT_FOUND (no such document); STREAMDB_ERR_INVALID;
    /// STREAMDB_ERR_READ_ONLY; STREAMDB_ERR_FULL; STREAMDB_ERR_CORRUPTED; STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_bind")]
    public static int streamdb_bind(DbHandle* db, [Const] StreamDbId* id, [Const, CType("const char *")] byte* path, nuint path_len) =>
        Bind(db, id, path, path_len, unbind: false, nameof(streamdb_bind));

    /// <summary>Unbinds path from the document. The document stays, even with no path left: it
    /// is reachable by id until deleted with streamdb_delete_id.</summary>
    /// <param name="db">The database.</param>
    /// <param name="id">The document's id.</param>
    /// <param name="path">The path's UTF-8 bytes.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_NOT_FOUND (path not bound to that document);
    /// STREAMDB_ERR_INVALID; STREAMDB_ERR_READ_ONLY; STREAMDB_ERR_FULL; STREAMDB_ERR_CORRUPTED; STREAMDB_ERR_IO;
    /// STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_unbind")]
    public static int streamdb_unbind(DbHandle* db, [Const] StreamDbId* id, [Const, CType("const char *")] byte* path, nuint path_len) =>
        Bind(db, id, path, path_len, unbind: true, nameof(streamdb_unbind));

    private static int Bind(DbHandle* db, StreamDbId* id, byte* path, nuint pathLen, bool unbind, string function)
    {
        try
        {
            int s = Handles.Get((nint)db, function, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.NotNull(id, function, "id");
            if (s != 0) return s;
            s = Args.Bytes(path, pathLen, function, "path", out var pathBytes);
            if (s != 0) return s;
            var guid = Ids.Read(id);
            var status = unbind ? entry.Database.Unbind(guid, pathBytes) : entry.Database.Bind(guid, pathBytes);
            return ErrorState.From(status, function);
        }
        catch (Exception e) { return ErrorState.Internal(function, e); }
    }

    /// <summary>Every bound path that starts with prefix (byte-wise), the exact match
    /// included, in byte order. The iterator sees the paths as of this call.</summary>
    /// <param name="db">The database.</param>
    /// <param name="prefix">The prefix's UTF-8 bytes; may be NULL when prefix_len is 0.</param>
    /// <param name="prefix_len">Bytes of prefix; 0 lists every path.</param>
    /// <param name="out_iter">Receives the iterator; free it with streamdb_iter_free.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID; STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread; the iterator is then used by one thread at a time.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_search")]
    public static int streamdb_search(DbHandle* db, [Const, CType("const char *")] byte* prefix, nuint prefix_len, IterHandle** out_iter)
    {
        const string F = nameof(streamdb_search);
        try
        {
            if (out_iter == null)
                return ErrorState.Invalid($"{F}: out_iter is NULL");
            *out_iter = null;
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.Bytes(prefix, prefix_len, F, "prefix", out var prefixBytes);
            if (s != 0) return s;
            var status = entry.Database.Search(prefixBytes, out PathCursor? cursor);
            return Issue(entry, status, cursor, out_iter, F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>The paths bound to a document, in byte order.</summary>
    /// <param name="db">The database.</param>
    /// <param name="id">The document's id.</param>
    /// <param name="out_iter">Receives the iterator; free it with streamdb_iter_free.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_NOT_FOUND (no such document); STREAMDB_ERR_INVALID;
    /// STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread; the iterator is then used by one thread at a time.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_list_paths")]
    public static int streamdb_list_paths(DbHandle* db, [Const] StreamDbId* id, IterHandle** out_iter)
    {
        const string F = nameof(streamdb_list_paths);
        try
        {
            if (out_iter == null)
                return ErrorState.Invalid($"{F}: out_iter is NULL");
            *out_iter = null;
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.NotNull(id, F, "id");
            if (s != 0) return s;
            var status = entry.Database.ListPaths(Ids.Read(id), out PathCursor? cursor);
            return Issue(entry, status, cursor, out_iter, F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    private static int Issue(DatabaseEntry entry, Status status, PathCursor? cursor, IterHandle** outIter, string function)
    {
        if (status < 0 || cursor == null)
        {
            cursor?.Dispose();
            return ErrorState.From(status < 0 ? status : Status.Internal, function);
        }
        nint handle = Handles.Issue(entry, new IteratorEntry(cursor, entry));
        if (handle == 0)
            return Handles.OwnerClosed(function);
        *outIter = (IterHandle*)handle;
        return ErrorState.Success();
    }

    /// <summary>The next path of the iterator.</summary>
    /// <param name="it">The iterator.</param>
    /// <param name="out_path">Receives the path's bytes (not NUL-terminated), borrowed: valid
    /// until the next call on it or streamdb_iter_free. NULL at the end.</param>
    /// <param name="out_len">Receives the path's length (0 at the end).</param>
    /// <returns>STREAMDB_OK with a path; STREAMDB_DONE when there are no more;
    /// STREAMDB_ERR_INVALID; STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>One thread at a time per iterator.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_iter_next")]
    public static int streamdb_iter_next(IterHandle* it, [Const, CType("const char **")] byte** out_path, nuint* out_len)
    {
        const string F = nameof(streamdb_iter_next);
        try
        {
            if (out_path == null)
                return ErrorState.Invalid($"{F}: out_path is NULL");
            *out_path = null;
            if (out_len == null)
                return ErrorState.Invalid($"{F}: out_len is NULL");
            *out_len = 0;
            int s = Handles.Get((nint)it, F, "it", out IteratorEntry entry);
            if (s != 0) return s;
            var status = entry.Cursor.Next(out ReadOnlySpan<byte> path);
            if (status == Status.Ok)
            {
                *out_path = entry.Current.Fill(path);
                *out_len = (nuint)path.Length;
            }
            return ErrorState.From(status, F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Frees an iterator.</summary>
    /// <param name="it">The iterator, or NULL (nothing happens). Invalid afterwards.</param>
    /// <remarks>One thread at a time per iterator. An invalid handle only sets streamdb_errmsg.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_iter_free")]
    public static void streamdb_iter_free(IterHandle* it) => FreeChild<IteratorEntry>((nint)it, nameof(streamdb_iter_free), "it");

    internal static void FreeChild<T>(nint handle, string function, string name) where T : HandleEntry
    {
        try
        {
            if (handle == 0)
            {
                ErrorState.Success();
                return;
            }
            if (Handles.Get(handle, function, name, out T entry) != 0)
                return;
            if (!Handles.Free(entry))
            {
                ErrorState.Invalid($"{function}: {name} was freed by another thread during the call");
                return;
            }
            ErrorState.Success();
        }
        catch (Exception e) { ErrorState.Internal(function, e); }
    }

    /// <summary>compat: the paths streamdb_search would list, each with its document's current
    /// bytes, as a linked list.</summary>
    /// <param name="db">The database.</param>
    /// <param name="prefix">The prefix's UTF-8 bytes; may be NULL when prefix_len is 0.</param>
    /// <param name="prefix_len">Bytes of prefix; 0 lists every document.</param>
    /// <returns>The first node, in byte order of the keys; NULL when nothing matches
    /// (streamdb_errmsg is "") or on error (streamdb_errmsg says why). The caller frees the
    /// whole list with streamdb_free_results.</returns>
    /// <remarks>Any thread. A path deleted while the list is built is left out.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_prefix_search")]
    public static StreamDbResult* streamdb_prefix_search(DbHandle* db, [Const, CType("const char *")] byte* prefix, nuint prefix_len)
    {
        const string F = nameof(streamdb_prefix_search);
        StreamDbResult* head = null;
        try
        {
            if (Handles.Get((nint)db, F, "db", out DatabaseEntry entry) != 0)
                return null;
            if (Args.Bytes(prefix, prefix_len, F, "prefix", out var prefixBytes) != 0)
                return null;
            var status = entry.Database.Search(prefixBytes, out PathCursor? cursor);
            if (status < 0 || cursor == null)
            {
                ErrorState.From(status < 0 ? status : Status.Internal, F);
                return null;
            }
            using (cursor)
            {
                StreamDbResult** tail = &head;
                while ((status = cursor.Next(out ReadOnlySpan<byte> path)) == Status.Ok)
                {
                    var read = NativeBuffer.ReadWhole(entry.Database, path, 0, out byte* data, out long length);
                    if (read == Status.NotFound)
                        continue;
                    if (read != Status.Ok)
                    {
                        status = read;
                        break;
                    }
                    var node = (StreamDbResult*)NativeMemory.AllocZeroed((nuint)sizeof(StreamDbResult));
                    *tail = node;
                    tail = &node->next;
                    node->key = NativeBuffer.CopyTerminated(path);
                    node->key_len = (nuint)path.Length;
                    node->value = data;
                    node->value_size = (nuint)length;
                }
            }
            if (status < 0)
            {
                FreeList(head);
                ErrorState.From(status, F);
                return null;
            }
            ErrorState.Success();
            return head;
        }
        catch (Exception e)
        {
            FreeList(head);
            ErrorState.Internal(F, e);
            return null;
        }
    }

    /// <summary>compat: frees a list from streamdb_prefix_search: every node, key and value.</summary>
    /// <param name="results">The first node, or NULL (nothing happens).</param>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_free_results")]
    public static void streamdb_free_results(StreamDbResult* results)
    {
        FreeList(results);
        ErrorState.Success();
    }

    private static void FreeList(StreamDbResult* node)
    {
        while (node != null)
        {
            var next = node->next;
            NativeMemory.Free(node->key);
            NativeMemory.Free(node->value);
            NativeMemory.Free(node);
            node = next;
        }
    }
}
