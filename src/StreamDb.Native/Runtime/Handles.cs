namespace StreamDb.Native;

/// <summary>Handle lookups with the messages that say what was wrong with the value.</summary>
internal static class Handles
{
    public static int Get<T>(nint handle, string function, string name, out T entry) where T : HandleEntry
    {
        entry = HandleTable.Find<T>(handle)!;
        if (entry != null)
            return StatusCodes.STREAMDB_OK;
        return handle == 0
            ? ErrorState.Invalid($"{function}: {name} is NULL")
            : ErrorState.Invalid($"{function}: {name} (0x{(ulong)handle:x}) is not a live {Kind<T>()} handle: it was closed or freed, or never issued by this library");
    }

    /// <summary>Hands out a new child of <paramref name="owner"/>; 0 when the owner was closed meanwhile.</summary>
    public static nint Issue(DatabaseEntry owner, HandleEntry child)
    {
        if (owner.Adopt(child))
            return child.Handle;
        child.Release();
        return 0;
    }

    /// <summary>Removes and releases a child handle; false when it was not live.</summary>
    public static bool Free(HandleEntry entry)
    {
        if (!HandleTable.Remove(entry))
            return false;
        entry.Owner?.Forget(entry);
        entry.Release();
        return true;
    }

    /// <summary>Removes a handle without releasing it (commit and close do the releasing).</summary>
    public static bool Take(HandleEntry entry)
    {
        if (!HandleTable.Remove(entry))
            return false;
        entry.Owner?.Forget(entry);
        return true;
    }

    public static int OwnerClosed(string function) =>
        ErrorState.Invalid($"{function}: the database was closed during the call");

    private static string Kind<T>() =>
        typeof(T) == typeof(DatabaseEntry) ? "streamdb"
        : typeof(T) == typeof(IteratorEntry) ? "streamdb_iter"
        : typeof(T) == typeof(ReaderEntry) ? "streamdb_reader"
        : typeof(T) == typeof(WriterEntry) ? "streamdb_writer"
        : typeof(T) == typeof(BatchEntry) ? "streamdb_batch"
        : "streamdb_op";
}
