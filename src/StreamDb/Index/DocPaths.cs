namespace StreamDb.Index;

/// <summary>
/// The paths bound to one document, in byte order. Immutable. Nearly every document has one
/// path, held as that path's bytes (the same array the path index holds); only a document
/// with several gets a tree of its own. A tree per document cost two objects and 88 bytes for
/// each of them.
/// </summary>
internal readonly struct DocPaths
{
    // null (none), a byte[] (one path) or a PathTree (two or more)
    private readonly object? items;

    private DocPaths(object? items) => this.items = items;

    public static DocPaths Empty => default;

    public int Count => items switch { null => 0, byte[] => 1, _ => ((PathTree)items).Count };

    public bool ContainsKey(ReadOnlySpan<byte> path) => items switch
    {
        null => false,
        byte[] one => one.AsSpan().SequenceEqual(path),
        _ => ((PathTree)items).ContainsKey(path),
    };

    /// <summary>Adds <paramref name="path"/> (kept, not copied; callers pass an array they own).
    /// The document's id is the value the tree form stores.</summary>
    public DocPaths Add(byte[] path, Guid id) => items switch
    {
        null => new(path),
        byte[] one when one.AsSpan().SequenceEqual(path) => this,
        byte[] one => new(PathTree.Empty.SetItem(one, id).SetItem(path, id)),
        _ => new(((PathTree)items).SetItem(path, id)),
    };

    public DocPaths Remove(ReadOnlySpan<byte> path)
    {
        switch (items)
        {
            case null:
                return this;
            case byte[] one:
                return one.AsSpan().SequenceEqual(path) ? Empty : this;
            default:
                var tree = ((PathTree)items).Remove(path);
                if (tree.Count != 1) return new(tree);
                tree.From([]).MoveNext(out var last, out _);
                return new(last);
        }
    }

    /// <summary>The paths, in byte order.</summary>
    public IEnumerable<byte[]> All()
    {
        switch (items)
        {
            case null:
                yield break;
            case byte[] one:
                yield return one;
                yield break;
            default:
                foreach (var (path, _) in ((PathTree)items).All()) yield return path;
                break;
        }
    }

    /// <summary>The paths as a tree (for a cursor over them); <paramref name="id"/> is their value.</summary>
    public PathTree ToTree(Guid id) => items switch
    {
        null => PathTree.Empty,
        byte[] one => PathTree.Empty.SetItem(one, id),
        _ => (PathTree)items,
    };
}
