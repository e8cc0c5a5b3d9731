namespace StreamDb.Native;

/// <summary>A database or snapshot handle and the child handles made from it.</summary>
internal sealed class DatabaseEntry(Database database, DatabaseEntry? owner) : HandleEntry(owner)
{
    private readonly HashSet<HandleEntry> children = [];
    private bool closed;

    public Database Database { get; } = database;

    /// <summary>Registers a new child and hands out its handle; false when this database was
    /// closed meanwhile (the caller then releases the child).</summary>
    public bool Adopt(HandleEntry child)
    {
        lock (children)
        {
            if (closed)
                return false;
            HandleTable.Add(child);
            children.Add(child);
            return true;
        }
    }

    public void Forget(HandleEntry child)
    {
        lock (children)
            children.Remove(child);
    }

    /// <summary>Releases every child, then closes the database.</summary>
    public Status Close()
    {
        HandleEntry[] orphans;
        lock (children)
        {
            closed = true;
            orphans = [.. children];
            children.Clear();
        }
        foreach (var child in orphans)
        {
            if (HandleTable.Remove(child))
            {
                if (child is AsyncReadEntry op)
                    op.WaitForCompletion();
                child.Release();
            }
        }
        return Database.Close();
    }

    public override void Release() => Close();
}
