namespace StreamDb.Native;

/// <summary>
/// Translates streamdb_options into DatabaseOptions. struct_size says which fields the caller
/// knows: an older, smaller struct is read up to its size (the rest keeps defaults); a larger
/// one from a newer header is read up to ours. A struct_size too small to hold any field, or
/// absurdly large, is a struct that was never initialized.
/// </summary>
internal static unsafe class OptionsReader
{
    private const uint MaxPlausibleSize = 4096;

    public static int Read(StreamDbOptions* source, string function, out DatabaseOptions options)
    {
        options = new DatabaseOptions();
        if (source == null)
            return StatusCodes.STREAMDB_OK;
        uint size = source->struct_size;
        if (size < 8 || size > MaxPlausibleSize)
            return ErrorState.Invalid($"{function}: opts->struct_size is {size}: initialize the options with streamdb_options_init first");
        var start = (byte*)source;

        bool Has(void* field, int width) => (byte*)field - start + width <= size;

        if (Has(&source->page_size, 4) && source->page_size != 0)
            options.PageSize = source->page_size > int.MaxValue ? -1 : (int)source->page_size;
        if (Has(&source->max_document_size, 8) && source->max_document_size != 0)
        {
            if (source->max_document_size > long.MaxValue)
                return ErrorState.Invalid($"{function}: opts->max_document_size {source->max_document_size} is too large");
            options.MaxDocumentSize = (long)source->max_document_size;
        }
        if (Has(&source->max_db_size, 8) && source->max_db_size != 0)
        {
            if (source->max_db_size > long.MaxValue)
                return ErrorState.Invalid($"{function}: opts->max_db_size {source->max_db_size} is too large");
            options.MaxDbSize = (long)source->max_db_size;
        }
        if (Has(&source->page_cache_pages, 4) && source->page_cache_pages != 0)
        {
            if (source->page_cache_pages > int.MaxValue)
                return ErrorState.Invalid($"{function}: opts->page_cache_pages {source->page_cache_pages} is too large");
            options.PageCachePages = (int)source->page_cache_pages;
        }
        if (Has(&source->versions_to_keep, 4))
        {
            int keep = source->versions_to_keep;
            if (keep < -1)
                return ErrorState.Invalid($"{function}: opts->versions_to_keep is {keep}; use -1 for the default or a count >= 0");
            options.VersionsToKeep = keep == -1 ? 2 : keep;
        }
        if (Has(&source->flags, 4))
        {
            int status = ApplyFlags(source->flags, function, options);
            if (status != StatusCodes.STREAMDB_OK)
                return status;
        }
        if (Has(&source->flush_interval_ms, 4))
        {
            if (source->flush_interval_ms > int.MaxValue)
                return ErrorState.Invalid($"{function}: opts->flush_interval_ms {source->flush_interval_ms} is too large");
            options.FlushIntervalMs = (int)source->flush_interval_ms;
        }
        return StatusCodes.STREAMDB_OK;
    }

    private static int ApplyFlags(uint flags, string function, DatabaseOptions options)
    {
        if ((flags & ~OpenFlags.Known) != 0)
            return ErrorState.Invalid($"{function}: opts->flags has unknown bits 0x{flags & ~OpenFlags.Known:x}");
        options.ReadOnly = (flags & OpenFlags.STREAMDB_OPEN_READ_ONLY) != 0;
        options.NoCreate = (flags & OpenFlags.STREAMDB_OPEN_NO_CREATE) != 0;
        options.Compress = (flags & OpenFlags.STREAMDB_OPEN_COMPRESS) != 0;
        options.QuickMode = (flags & OpenFlags.STREAMDB_OPEN_QUICK) != 0;
        options.NoSync = (flags & OpenFlags.STREAMDB_OPEN_NO_SYNC) != 0;
        return StatusCodes.STREAMDB_OK;
    }

    public static void Init(StreamDbOptions* target)
    {
        *target = new StreamDbOptions
        {
            struct_size = (uint)sizeof(StreamDbOptions),
            page_size = DatabaseOptions.DefaultPageSize,
            max_document_size = DatabaseOptions.DefaultMaxDocumentSize,
            max_db_size = DatabaseOptions.DefaultMaxDbSize,
            page_cache_pages = 2048,
            versions_to_keep = 2,
            flags = 0,
            flush_interval_ms = 0,
        };
    }
}
