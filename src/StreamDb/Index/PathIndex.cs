namespace StreamDb.Index;

/// <summary>
/// The paths of a state: those of the last checkpoint (<see cref="CheckpointBase"/>, may be
/// null) under an overlay of what commits changed since, a <see cref="PathTree"/> in which the
/// zero id marks a checkpoint path that was removed. Immutable, like the tree: an update
/// returns a new index sharing the base and all untouched overlay nodes.
/// </summary>
internal sealed class PathIndex
{
    public static readonly PathIndex Empty = new(null, PathTree.Empty, 0);

    // No document has the zero id (ids are random; a checkpoint holding one is refused).
    private static readonly Guid Removed = Guid.Empty;

    private readonly CheckpointBase? checkpoint;
    private readonly PathTree overlay;

    private PathIndex(CheckpointBase? checkpoint, PathTree overlay, int count)
    {
        this.checkpoint = checkpoint;
        this.overlay = overlay;
        Count = count;
    }

    public static PathIndex Of(CheckpointBase checkpoint) => new(checkpoint, PathTree.Empty, checkpoint.PathCount);

    /// <summary>A tree's entries as an index (no checkpoint under them).</summary>
    public static PathIndex Of(PathTree tree) => new(null, tree, tree.Count);

    public int Count { get; }

    /// <summary>Paths changed since the checkpoint (removals included).</summary>
    public int OverlayCount => overlay.Count;

    public bool TryGetValue(ReadOnlySpan<byte> path, out Guid id) => TryGetValue(path, out id, out _, out _);

    /// <summary>As above; when the binding is the checkpoint's, also that checkpoint and the
    /// position in it of the document it names (else null and -1), so that a reader need not
    /// look the document up by id again.</summary>
    public bool TryGetValue(ReadOnlySpan<byte> path, out Guid id, out CheckpointBase? from, out int doc)
    {
        from = null;
        doc = -1;
        if (overlay.TryGetValue(path, out id)) return id != Removed;
        if (checkpoint is not null)
        {
            int j = checkpoint.FindPath(path);
            if (j >= 0)
            {
                from = checkpoint;
                doc = checkpoint.PathDoc(j);
                id = checkpoint.DocId(doc);
                return true;
            }
        }
        id = default;
        return false;
    }

    public bool ContainsKey(ReadOnlySpan<byte> path) => TryGetValue(path, out _);

    /// <summary>Adds or replaces. <paramref name="path"/> is kept, not copied: callers pass an array they own.</summary>
    public PathIndex SetItem(byte[] path, Guid id)
    {
        if (id == Removed) throw new ArgumentException("the zero id names no document");
        return new(checkpoint, overlay.SetItem(path, id), ContainsKey(path) ? Count : Count + 1);
    }

    public PathIndex Remove(ReadOnlySpan<byte> path)
    {
        if (!ContainsKey(path)) return this;
        var next = checkpoint is not null && checkpoint.FindPath(path) >= 0
            ? overlay.SetItem(path.ToArray(), Removed)
            : overlay.Remove(path);
        return new(checkpoint, next, Count - 1);
    }

    /// <summary>Entries with path &gt;= <paramref name="lowerBound"/>, in order.</summary>
    public Cursor From(ReadOnlySpan<byte> lowerBound) => new(this, lowerBound);

    /// <summary>Every entry, in path order (each path a fresh array).</summary>
    public IEnumerable<KeyValuePair<byte[], Guid>> All()
    {
        var c = From([]);
        while (c.MoveNext(out var key)) yield return new(key.ToArray(), c.Id);
    }

    /// <summary>
    /// Merges the checkpoint's paths with the overlay's in one ordered walk: an overlay entry
    /// hides the checkpoint's entry for the same path, and a removal mark hides both.
    /// </summary>
    public sealed class Cursor
    {
        private readonly CheckpointBase? checkpoint;
        private readonly PathTree.Cursor overlay;
        private int next;
        private byte[]? overlayKey;
        private Guid overlayId;

        internal Cursor(PathIndex index, ReadOnlySpan<byte> lowerBound)
        {
            checkpoint = index.checkpoint;
            next = checkpoint?.LowerBound(lowerBound) ?? 0;
            overlay = index.overlay.From(lowerBound);
            StepOverlay();
        }

        private void StepOverlay()
        {
            if (overlay.MoveNext(out var key, out overlayId)) overlayKey = key;
            else overlayKey = null;
        }

        private Guid overlayEntryId;

        /// <summary>For the entry <see cref="MoveNext"/> gave last: the position of its document
        /// in the checkpoint when the entry is the checkpoint's, else -1.</summary>
        public int CheckpointDoc { get; private set; } = -1;

        /// <summary>The document of the entry <see cref="MoveNext"/> gave last (read only when
        /// asked: a listing needs the paths alone, and the id of a checkpoint entry is in its
        /// document's record, elsewhere in memory).</summary>
        public Guid Id => CheckpointDoc >= 0 ? checkpoint!.DocId(CheckpointDoc) : overlayEntryId;

        /// <summary>The next entry; <paramref name="path"/> stays valid as long as the index
        /// (it is the checkpoint's bytes or the overlay's array).</summary>
        public bool MoveNext(out ReadOnlySpan<byte> path)
        {
            while (true)
            {
                bool fromCheckpoint = checkpoint is not null && next < checkpoint.PathCount;
                if (!fromCheckpoint && overlayKey is null)
                {
                    path = default;
                    return false;
                }
                int c = !fromCheckpoint ? 1 : overlayKey is null ? -1 : checkpoint!.PathAt(next).SequenceCompareTo(overlayKey);
                if (c < 0)
                {
                    path = checkpoint!.PathAt(next);
                    CheckpointDoc = checkpoint.PathDoc(next);
                    next++;
                    return true;
                }
                if (c == 0) next++; // the overlay's entry replaces or removes it
                var key = overlayKey!;
                var id = overlayId;
                StepOverlay();
                if (id == Removed) continue;
                CheckpointDoc = -1;
                overlayEntryId = id;
                path = key;
                return true;
            }
        }
    }
}
