namespace StreamDb.Index;

/// <summary>
/// A committed state of the index: every path, every document and its kept versions. Immutable;
/// readers hold one for as long as they read (and pin its txn so its pages are not reused).
/// </summary>
internal sealed class DbState(long txn, PathTree paths, DocMap docs, long dataPages)
{
    public static readonly DbState Empty = new(0, PathTree.Empty, DocMap.Empty, 0);

    public long Txn { get; } = txn;
    public PathTree Paths { get; } = paths;
    public DocMap Docs { get; } = docs;
    /// <summary>Pages held by every kept version of every document.</summary>
    public long DataPages { get; } = dataPages;

    public bool TryResolve(ReadOnlySpan<byte> path, out DocRecord doc)
    {
        if (Paths.TryGetValue(path, out var id) && Docs.TryGetValue(id, out var d))
        {
            doc = d;
            return true;
        }
        doc = null!;
        return false;
    }
}
