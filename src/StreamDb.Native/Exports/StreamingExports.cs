using System.Runtime.CompilerServices;

namespace StreamDb.Native;

/// <summary>Streaming: read and write documents in chunks, without holding them whole in memory.</summary>
[CHeader(140)]
public static unsafe class StreamingExports
{
    /// <summary>Opens a reader of the version of the document at path that is current now; it
    /// keeps reading that version even if the document is overwritten or deleted meanwhile.</summary>
    /// <param name="db">The database.</param>
    /// <param name="path">The path's UTF-8 bytes.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <param name="out_reader">Receives the reader; close it with streamdb_reader_close. It
    /// holds that version's pages until closed.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_NOT_FOUND; STREAMDB_ERR_INVALID; STREAMDB_ERR_IO;
    /// STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread; the reader is then used by one thread at a time.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_reader_open")]
    public static int streamdb_reader_open(DbHandle* db, [Const, CType("const char *")] byte* path, nuint path_len, ReaderHandle** out_reader)
    {
        const string F = nameof(streamdb_reader_open);
        try
        {
            if (out_reader == null)
                return ErrorState.Invalid($"{F}: out_reader is NULL");
            *out_reader = null;
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.Bytes(path, path_len, F, "path", out var pathBytes);
            if (s != 0) return s;
            var status = entry.Database.OpenReader(pathBytes, out DocumentReader? reader);
            if (status < 0 || reader == null)
            {
                reader?.Dispose();
                return ErrorState.From(status < 0 ? status : Status.Internal, F);
            }
            nint handle = Handles.Issue(entry, new ReaderEntry(reader, entry));
            if (handle == 0)
                return Handles.OwnerClosed(F);
            *out_reader = (ReaderHandle*)handle;
            return ErrorState.Success();
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>The size in bytes of the version the reader reads.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="out_size">Receives the size.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID.</returns>
    /// <remarks>One thread at a time per reader.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_reader_size")]
    public static int streamdb_reader_size(ReaderHandle* r, ulong* out_size)
    {
        const string F = nameof(streamdb_reader_size);
        try
        {
            int s = Args.NotNull(out_size, F, "out_size");
            if (s != 0) return s;
            s = Handles.Get((nint)r, F, "r", out ReaderEntry entry);
            if (s != 0) return s;
            *out_size = (ulong)entry.Reader.Length;
            return ErrorState.Success();
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>The next chunk of the document, from the current position.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="out_chunk">Receives the chunk's bytes, borrowed: valid until the next call on
    /// r or streamdb_reader_close. NULL at the end.</param>
    /// <param name="out_len">Receives the chunk's length (0 at the end).</param>
    /// <returns>STREAMDB_OK with a chunk; STREAMDB_DONE at the end; STREAMDB_ERR_INVALID;
    /// STREAMDB_ERR_CORRUPTED; STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>One thread at a time per reader.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_reader_next")]
    public static int streamdb_reader_next(ReaderHandle* r, [Const, CType("const void **")] void** out_chunk, nuint* out_len)
    {
        const string F = nameof(streamdb_reader_next);
        try
        {
            if (out_chunk == null)
                return ErrorState.Invalid($"{F}: out_chunk is NULL");
            *out_chunk = null;
            if (out_len == null)
                return ErrorState.Invalid($"{F}: out_len is NULL");
            *out_len = 0;
            int s = Handles.Get((nint)r, F, "r", out ReaderEntry entry);
            if (s != 0) return s;
            var status = entry.Reader.Next(out ReadOnlySpan<byte> chunk);
            if (status == Status.Ok)
            {
                *out_chunk = Unsafe.AsPointer(ref MemoryMarshal.GetReference(chunk));
                *out_len = (nuint)chunk.Length;
            }
            return ErrorState.From(status, F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Moves the reader's position; the next streamdb_reader_next starts there.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="offset">0..size; size means the end.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID (bad handle, offset past the end).</returns>
    /// <remarks>One thread at a time per reader.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_reader_seek")]
    public static int streamdb_reader_seek(ReaderHandle* r, ulong offset)
    {
        const string F = nameof(streamdb_reader_seek);
        try
        {
            int s = Handles.Get((nint)r, F, "r", out ReaderEntry entry);
            if (s != 0) return s;
            if (offset > (ulong)entry.Reader.Length)
                return ErrorState.Invalid($"{F}: offset {offset} is past the end of the document ({entry.Reader.Length} bytes)");
            return ErrorState.From(entry.Reader.Seek((long)offset), F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Closes a reader and releases the pages it held.</summary>
    /// <param name="r">The reader, or NULL (nothing happens). Invalid afterwards.</param>
    /// <remarks>One thread at a time per reader. An invalid handle only sets streamdb_errmsg.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_reader_close")]
    public static void streamdb_reader_close(ReaderHandle* r) =>
        PathExports.FreeChild<ReaderEntry>((nint)r, nameof(streamdb_reader_close), "r");

    /// <summary>Starts writing a new version of the document at path (a new document if path is
    /// unbound) in chunks; the total length need not be known in advance. Nothing is visible
    /// until streamdb_writer_commit.</summary>
    /// <param name="db">The database.</param>
    /// <param name="path">The path's UTF-8 bytes.</param>
    /// <param name="path_len">Bytes of path.</param>
    /// <param name="out_writer">Receives the writer; finish it with streamdb_writer_commit or
    /// streamdb_writer_abort.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID; STREAMDB_ERR_READ_ONLY; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread; the writer is then used by one thread at a time.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_writer_open")]
    public static int streamdb_writer_open(DbHandle* db, [Const, CType("const char *")] byte* path, nuint path_len, WriterHandle** out_writer)
    {
        const string F = nameof(streamdb_writer_open);
        try
        {
            if (out_writer == null)
                return ErrorState.Invalid($"{F}: out_writer is NULL");
            *out_writer = null;
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            s = Args.Bytes(path, path_len, F, "path", out var pathBytes);
            if (s != 0) return s;
            var status = entry.Database.OpenWriter(pathBytes, out DocumentWriter? writer);
            if (status < 0 || writer == null)
            {
                writer?.Dispose();
                return ErrorState.From(status < 0 ? status : Status.Internal, F);
            }
            nint handle = Handles.Issue(entry, new WriterEntry(writer, entry));
            if (handle == 0)
                return Handles.OwnerClosed(F);
            *out_writer = (WriterHandle*)handle;
            return ErrorState.Success();
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Appends data to the new version.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="data">Bytes to append; read during the call only. May be NULL when len is 0.</param>
    /// <param name="len">Bytes of data.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_TOO_LARGE (the document would exceed
    /// max_document_size: the writer is dead, abort it); STREAMDB_ERR_INVALID; STREAMDB_ERR_FULL; STREAMDB_ERR_CORRUPTED;
    /// STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>One thread at a time per writer.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_writer_write")]
    public static int streamdb_writer_write(WriterHandle* w, [Const] void* data, nuint len)
    {
        const string F = nameof(streamdb_writer_write);
        try
        {
            int s = Handles.Get((nint)w, F, "w", out WriterEntry entry);
            if (s != 0) return s;
            s = Args.Data(data, len, F);
            if (s != 0) return s;
            var status = Status.Ok;
            var p = (byte*)data;
            do
            {
                // A span holds at most 2 GiB; larger appends go in pieces.
                int piece = (int)Math.Min(len, 1u << 30);
                status = entry.Writer.Write(new ReadOnlySpan<byte>(p, piece));
                p += piece;
                len -= (nuint)piece;
            }
            while (status == Status.Ok && len > 0);
            return ErrorState.From(status, F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Publishes the new version atomically and frees the writer, whatever the status.</summary>
    /// <param name="w">The writer; invalid afterwards.</param>
    /// <param name="out_id">Receives the document's id; may be NULL.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID; STREAMDB_ERR_TOO_LARGE; STREAMDB_ERR_READ_ONLY;
    /// STREAMDB_ERR_FULL; STREAMDB_ERR_CORRUPTED; STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL. On error nothing became visible.</returns>
    /// <remarks>One thread at a time per writer.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_writer_commit")]
    public static int streamdb_writer_commit(WriterHandle* w, StreamDbId* out_id)
    {
        const string F = nameof(streamdb_writer_commit);
        try
        {
            int s = Handles.Get((nint)w, F, "w", out WriterEntry entry);
            if (s != 0) return s;
            if (!Handles.Take(entry))
                return ErrorState.Invalid($"{F}: w was finished by another thread during the call");
            try
            {
                var status = entry.Writer.Commit(out Guid id);
                if (status == Status.Ok)
                    Ids.Write(id, out_id);
                return ErrorState.From(status, F);
            }
            finally
            {
                entry.Release();
            }
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Abandons the new version: nothing becomes visible and its pages are reclaimed.
    /// Frees the writer.</summary>
    /// <param name="w">The writer, or NULL (nothing happens). Invalid afterwards.</param>
    /// <remarks>One thread at a time per writer. An invalid handle only sets streamdb_errmsg.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_writer_abort")]
    public static void streamdb_writer_abort(WriterHandle* w) =>
        PathExports.FreeChild<WriterEntry>((nint)w, nameof(streamdb_writer_abort), "w");
}
