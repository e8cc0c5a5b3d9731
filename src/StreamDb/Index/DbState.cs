namespace StreamDb.Index;

/// <summary>
/// A committed state of the index: every path, every document and its kept versions. Immutable;
/// readers hold one for as long as they read (and pin its txn so its pages are not reused).
/// </summary>
internal sealed class DbState(long txn, PathIndex paths, DocIndex docs, long dataPages)
{
    public static readonly DbState Empty = new(0, PathIndex.Empty, DocIndex.Empty, 0);

    /// <summary>The state a checkpoint describes, with nothing changed since.</summary>
    public static DbState Of(CheckpointBase checkpoint, long txn) =>
        new(txn, PathIndex.Of(checkpoint), DocIndex.Of(checkpoint), checkpoint.DataPages);

    public long Txn { get; } = txn;
    public PathIndex Paths { get; } = paths;
    public DocIndex Docs { get; } = docs;
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

    /// <summary>The document bound to <paramref name="path"/> and its newest version, as a value
    /// (what a read of the current version needs: see <see cref="DocIndex.TryGetNewest"/>).</summary>
    public bool TryResolveNewest(ReadOnlySpan<byte> path, out Guid id, out VersionInfo newest)
    {
        newest = default;
        return Paths.TryGetValue(path, out id, out var from, out int at) && Docs.TryGetNewest(id, from, at, out newest);
    }

    /// <summary>The document bound to <paramref name="path"/> and its versions, newest first,
    /// without its paths (what a read of an older version needs; see <see cref="DocIndex.TryGetVersions(Guid, CheckpointBase?, int, out VersionList)"/>).</summary>
    public bool TryResolveVersions(ReadOnlySpan<byte> path, out Guid id, out VersionList versions)
    {
        versions = default;
        return Paths.TryGetValue(path, out id, out var from, out int at) && Docs.TryGetVersions(id, from, at, out versions);
    }
}
