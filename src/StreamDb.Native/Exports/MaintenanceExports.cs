namespace StreamDb.Native;

/// <summary>Maintenance.</summary>
[CHeader(170)]
public static unsafe class MaintenanceExports
{
    /// <summary>Makes everything committed so far durable before it returns, and collects old
    /// versions past versions_to_keep.</summary>
    /// <param name="db">The database.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID; STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_flush")]
    public static int streamdb_flush(DbHandle* db)
    {
        const string F = nameof(streamdb_flush);
        try
        {
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            return s != 0 ? s : ErrorState.From(entry.Database.Flush(), F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>compat: turns quick mode (reads skip CRC checks) on or off for this database
    /// handle.</summary>
    /// <param name="db">The database; an invalid handle only sets streamdb_errmsg.</param>
    /// <param name="enabled">Non-zero turns it on.</param>
    /// <remarks>Any thread; takes effect for reads that start afterwards.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_set_quick_mode")]
    public static void streamdb_set_quick_mode(DbHandle* db, int enabled)
    {
        const string F = nameof(streamdb_set_quick_mode);
        try
        {
            if (Handles.Get((nint)db, F, "db", out DatabaseEntry entry) != 0)
                return;
            entry.Database.QuickMode = enabled != 0;
            ErrorState.Success();
        }
        catch (Exception e) { ErrorState.Internal(F, e); }
    }

    /// <summary>Counters of the database: pages, documents, paths, file size, cache.</summary>
    /// <param name="db">The database.</param>
    /// <param name="out_stats">The caller's struct; set out_stats->struct_size first (or zero it).</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_stats")]
    public static int streamdb_stats(DbHandle* db, StreamDbStats* out_stats)
    {
        const string F = nameof(streamdb_stats);
        try
        {
            int s = Args.NotNull(out_stats, F, "out_stats");
            if (s != 0) return s;
            s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            if (s != 0) return s;
            var status = entry.Database.GetStats(out DatabaseStats stats);
            if (status != Status.Ok)
                return ErrorState.From(status, F);
            var result = new StreamDbStats
            {
                page_size = (uint)stats.PageSize,
                total_pages = (ulong)stats.TotalPages,
                free_pages = (ulong)stats.FreePages,
                documents = (ulong)stats.Documents,
                paths = (ulong)stats.Paths,
                file_bytes = (ulong)stats.FileBytes,
                cache_hits = (ulong)stats.CacheHits,
                cache_misses = (ulong)stats.CacheMisses,
            };
            s = SizedOutput.Write(out_stats, result, F, "out_stats");
            return s != 0 ? s : ErrorState.Success();
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Checks every page, chain, CRC and index entry of the database, and that no page
    /// in use is also free to the allocator (which would let a later write overwrite it).
    /// Pages neither in use nor free (leaked until the next open) are not reported.</summary>
    /// <param name="db">The database.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_CORRUPTED with the first problem in streamdb_errmsg;
    /// STREAMDB_ERR_INVALID; STREAMDB_ERR_IO; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread; reads a consistent state while writers go on.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_verify")]
    public static int streamdb_verify(DbHandle* db)
    {
        const string F = nameof(streamdb_verify);
        try
        {
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            return s != 0 ? s : ErrorState.From(entry.Database.Verify(), F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }

    /// <summary>Returns trailing free pages of the file to the file system.</summary>
    /// <param name="db">The database.</param>
    /// <returns>STREAMDB_OK; STREAMDB_ERR_INVALID; STREAMDB_ERR_READ_ONLY; STREAMDB_ERR_IO;
    /// STREAMDB_ERR_CORRUPTED; STREAMDB_ERR_INTERNAL.</returns>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_compact")]
    public static int streamdb_compact(DbHandle* db)
    {
        const string F = nameof(streamdb_compact);
        try
        {
            int s = Handles.Get((nint)db, F, "db", out DatabaseEntry entry);
            return s != 0 ? s : ErrorState.From(entry.Database.Compact(), F);
        }
        catch (Exception e) { return ErrorState.Internal(F, e); }
    }
}
