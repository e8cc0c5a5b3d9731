using System.Collections;

namespace StreamDb.Index;

/// <summary>
/// The documents of a state: those of the last checkpoint (<see cref="CheckpointBase"/>, may
/// be null; decoded when asked for) under an overlay of what commits changed since, a
/// <see cref="DocMap"/> in which a record without versions marks a checkpoint document that
/// was deleted. Immutable; edits go through a <see cref="Builder"/>.
/// </summary>
internal sealed class DocIndex : IEnumerable<DocRecord>
{
    public static readonly DocIndex Empty = new(null, DocMap.Empty, 0);

    private readonly CheckpointBase? checkpoint;
    private readonly DocMap overlay;

    private DocIndex(CheckpointBase? checkpoint, DocMap overlay, int count)
    {
        this.checkpoint = checkpoint;
        this.overlay = overlay;
        Count = count;
    }

    public static DocIndex Of(CheckpointBase checkpoint) => new(checkpoint, DocMap.Empty, checkpoint.DocCount);

    public int Count { get; }

    /// <summary>Documents changed since the checkpoint (deletions included).</summary>
    public int OverlayCount => overlay.Count;

    /// <summary>Every record, in no particular order.</summary>
    public DocIndex Values => this;

    public bool ContainsKey(Guid id) => Has(checkpoint, overlay.TryGetValue(id, out var d), d, id);

    public bool TryGetValue(Guid id, out DocRecord doc) => Find(checkpoint, overlay.TryGetValue(id, out var d), d, id, out doc);

    public DocRecord this[Guid id] => TryGetValue(id, out var d) ? d : throw new KeyNotFoundException($"no document {id}");

    private static bool IsDeletion(DocRecord d) => d.Versions.Length == 0;

    private static DocRecord Deletion(Guid id) => new(id, default, DocPaths.Empty);

    private static bool Find(CheckpointBase? checkpoint, bool inOverlay, DocRecord? fromOverlay, Guid id, out DocRecord doc)
    {
        if (inOverlay)
        {
            doc = fromOverlay!;
            return !IsDeletion(doc);
        }
        int k = checkpoint?.FindDoc(id) ?? -1;
        doc = k >= 0 ? checkpoint!.Doc(k) : null!;
        return k >= 0;
    }

    /// <summary>Document <paramref name="id"/>'s versions, newest first, without making its
    /// record (a checkpoint document's paths are not looked up: see <see cref="CheckpointBase.DocVersions"/>).</summary>
    public bool TryGetVersions(Guid id, out VersionList versions) => TryGetVersions(id, null, -1, out versions);

    /// <summary>As above, for a document known to be at position <paramref name="at"/> of
    /// checkpoint <paramref name="from"/> (a path's binding said so: see <see cref="PathIndex.TryGetValue(ReadOnlySpan{byte}, out Guid, out CheckpointBase?, out int)"/>),
    /// which saves looking it up by id when that is this index's checkpoint too.</summary>
    public bool TryGetVersions(Guid id, CheckpointBase? from, int at, out VersionList versions)
    {
        if (overlay.TryGetValue(id, out var d))
        {
            versions = d.Versions;
            return !IsDeletion(d);
        }
        int k = CheckpointPosition(id, from, at);
        versions = k >= 0 ? checkpoint!.DocVersions(k, out _) : default;
        return k >= 0;
    }

    // the document's position in this index's checkpoint (-1: not there), taken from the path's
    // binding when that was made against the same checkpoint
    private int CheckpointPosition(Guid id, CheckpointBase? from, int at) =>
        from is not null && ReferenceEquals(from, checkpoint) ? at : checkpoint?.FindDoc(id) ?? -1;

    /// <summary>As <see cref="TryGetVersions(Guid, CheckpointBase?, int, out VersionList)"/>, but
    /// only the newest version, as a value: a read of a checkpoint document allocates nothing.</summary>
    public bool TryGetNewest(Guid id, CheckpointBase? from, int at, out VersionInfo newest)
    {
        if (overlay.TryGetValue(id, out var d))
        {
            bool live = !IsDeletion(d);
            newest = live ? d.Current.Info : default;
            return live;
        }
        int k = CheckpointPosition(id, from, at);
        newest = k >= 0 ? checkpoint!.NewestVersion(k, out _) : default;
        return k >= 0;
    }

    // without making the record: a checkpoint document is only looked up
    private static bool Has(CheckpointBase? checkpoint, bool inOverlay, DocRecord? fromOverlay, Guid id) =>
        inOverlay ? !IsDeletion(fromOverlay!) : checkpoint is not null && checkpoint.FindDoc(id) >= 0;

    public Builder ToBuilder() => new(this);

    /// <summary>The checkpoint under this index (null: none).</summary>
    public CheckpointBase? Checkpoint => checkpoint;

    /// <summary>Whether a commit since the checkpoint changed or deleted document <paramref name="id"/>.</summary>
    public bool IsChanged(Guid id) => overlay.Count > 0 && overlay.ContainsKey(id);

    /// <summary>The documents commits since the checkpoint made or changed (not the deleted ones).</summary>
    public IEnumerable<DocRecord> Changed()
    {
        foreach (var d in overlay)
            if (!IsDeletion(d)) yield return d;
    }

    /// <summary>Every document commits since the checkpoint touched: made, changed or deleted.</summary>
    public IEnumerable<Guid> ChangedIds()
    {
        foreach (var d in overlay) yield return d.Id;
    }

    public IEnumerator<DocRecord> GetEnumerator()
    {
        if (checkpoint is not null)
            for (int k = 0; k < checkpoint.DocCount; k++)
                if (!IsChanged(checkpoint.DocId(k))) yield return checkpoint.Doc(k);
        foreach (var d in Changed()) yield return d;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// What a checkpoint writes: for every document, either its position in the checkpoint
    /// under this index (its records can be copied as they are) or its record, ordered by
    /// (hash, id), the order <see cref="CheckpointBase.Parse(RecordPages, int)"/> finds documents in without sorting.
    /// </summary>
    public List<(int Position, DocRecord? Record)> InCheckpointOrder(out CheckpointBase? from)
    {
        from = checkpoint;
        // the checkpoint's documents are in order already; the overlay's are sorted, then both merged
        var changed = new List<(ulong Hash, DocRecord Record)>(overlay.Count);
        foreach (var d in Changed()) changed.Add((DocMap.Hash(d.Id), d));
        changed.Sort((a, b) => Compare(a.Hash, a.Record.Id, b.Hash, b.Record.Id));
        var all = new List<(int Position, DocRecord? Record)>(Count);
        int next = 0;
        if (checkpoint is not null)
            for (int k = 0; k < checkpoint.DocCount; k++)
            {
                var id = checkpoint.DocId(k);
                if (IsChanged(id)) continue;
                ulong h = checkpoint.DocHash(k);
                while (next < changed.Count && Compare(changed[next].Hash, changed[next].Record.Id, h, id) < 0) all.Add((-1, changed[next++].Record));
                all.Add((k, null));
            }
        while (next < changed.Count) all.Add((-1, changed[next++].Record));
        return all;
    }

    // (hash, then the id's big-endian bytes), as CheckpointBase orders documents
    private static int Compare(ulong hashA, Guid a, ulong hashB, Guid b)
    {
        int c = hashA.CompareTo(hashB);
        if (c != 0) return c;
        Span<byte> x = stackalloc byte[16], y = stackalloc byte[16];
        a.TryWriteBytes(x, bigEndian: true, out _);
        b.TryWriteBytes(y, bigEndian: true, out _);
        return x.SequenceCompareTo(y);
    }

    /// <summary>Edits of an index; <see cref="ToImmutable"/> hands out the result. One thread.</summary>
    public sealed class Builder
    {
        private readonly CheckpointBase? checkpoint;
        private readonly DocMap.Builder overlay;

        internal Builder(DocIndex from)
        {
            checkpoint = from.checkpoint;
            overlay = from.overlay.ToBuilder();
            Count = from.Count;
        }

        public int Count { get; private set; }

        // The last checkpoint document made: a commit looks its document up several times
        // (resolve the path, add the version, store it) before the overlay holds it.
        private DocRecord? lastMade;

        public bool TryGetValue(Guid id, out DocRecord doc)
        {
            bool inOverlay = overlay.TryGetValue(id, out var d);
            if (!inOverlay && lastMade is not null && lastMade.Id == id)
            {
                doc = lastMade;
                return true;
            }
            bool found = Find(checkpoint, inOverlay, d, id, out doc);
            if (found && !inOverlay) lastMade = doc;
            return found;
        }

        public bool ContainsKey(Guid id)
        {
            bool inOverlay = overlay.TryGetValue(id, out var d);
            return !inOverlay && lastMade is not null && lastMade.Id == id || Has(checkpoint, inOverlay, d, id);
        }

        /// <summary>The document with this id; setting requires <c>value.Id == id</c>.</summary>
        public DocRecord this[Guid id]
        {
            get => TryGetValue(id, out var d) ? d : throw new KeyNotFoundException($"no document {id}");
            set
            {
                if (IsDeletion(value)) throw new ArgumentException($"record {id} has no versions");
                bool had = ContainsKey(id);
                overlay[id] = value;
                if (!had) Count++;
            }
        }

        public bool Remove(Guid id)
        {
            if (!ContainsKey(id)) return false;
            if (checkpoint is not null && checkpoint.FindDoc(id) >= 0) overlay[id] = Deletion(id);
            else overlay.Remove(id);
            Count--;
            return true;
        }

        public DocIndex ToImmutable() => new(checkpoint, overlay.ToImmutable(), Count);
    }
}
