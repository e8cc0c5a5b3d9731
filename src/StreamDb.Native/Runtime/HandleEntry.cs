namespace StreamDb.Native;

/// <summary>What a handle stands for. A child (iterator, reader, ...) belongs to the database
/// it came from and is released with it when that database is closed.</summary>
internal abstract class HandleEntry
{
    protected HandleEntry(DatabaseEntry? owner) => Owner = owner;

    public nint Handle { get; set; }

    public DatabaseEntry? Owner { get; }

    /// <summary>Frees what the handle holds; called once, after the handle was removed.</summary>
    public abstract void Release();
}
