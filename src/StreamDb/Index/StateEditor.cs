using StreamDb.Documents;
using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Index;

/// <summary>
/// Builds the next state from the current one. The primitives (AddVersion, Forget, Bind,
/// Unbind, Delete) are the index records: each is applied and, when a log is attached, encoded,
/// so the journal says exactly what changed and replaying it rebuilds the same state. The
/// operations above them (write to a path, rebind, ...) check their arguments first and change
/// nothing when they fail. Pages that stop being referenced are collected in <see cref="Freed"/>.
/// </summary>
internal sealed class StateEditor
{
    private readonly DocIndex.Builder docs;
    private readonly RecordWriter? log;
    private PathIndex paths;
    private long dataPages;

    public StateEditor(DbState from, long txn, RecordWriter? log)
    {
        docs = from.Docs.ToBuilder();
        paths = from.Paths;
        dataPages = from.DataPages;
        Txn = txn;
        this.log = log;
    }

    public long Txn { get; set; }

    public List<Extent> Freed { get; } = new();

    /// <summary>Per pack page, how many more (or fewer) versions point into it after this
    /// commit: the engine counts them and frees a page when none is left. Null until a
    /// version with a packed tail comes or goes.</summary>
    public Dictionary<long, int>? TailDeltas { get; private set; }

    private void CountTail(DocVersion v, int delta)
    {
        if (!v.Tail.IsPresent) return;
        TailDeltas ??= new Dictionary<long, int>();
        TailDeltas[v.Tail.Page] = TailDeltas.GetValueOrDefault(v.Tail.Page) + delta;
    }

    public DbState Build() => new(Txn, paths, docs.ToImmutable(), dataPages);

    public bool TryGetDoc(Guid id, out DocRecord doc) => docs.TryGetValue(id, out doc!);

    public bool TryResolve(ReadOnlySpan<byte> path, out DocRecord doc)
    {
        doc = null!;
        return paths.TryGetValue(path, out var id) && docs.TryGetValue(id, out doc!);
    }

    // ---- primitives (= records) -------------------------------------------------------------

    public void AddVersion(Guid id, DocVersion v)
    {
        if (log is not null) EncodeVersion(log, id, v);
        docs[id] = docs.TryGetValue(id, out var d)
            ? d.With(d.Versions.Prepend(v))
            : new DocRecord(id, VersionList.Of(v), DocPaths.Empty);
        dataPages += v.PageCount;
        CountTail(v, +1);
    }

    public void Forget(Guid id, long number)
    {
        if (log is not null)
        {
            log.Byte((byte)RecordType.Forget);
            log.Guid(id);
            log.VarInt(number);
        }
        var d = docs[id];
        int i = IndexOfVersion(d, number);
        if (i < 0) throw new FormatException($"document {id} has no version {number}");
        if (d.Versions.Length == 1) throw new FormatException($"cannot forget the only version of {id}");
        var v = d.Versions[i];
        Freed.AddRange(v.Extents);
        dataPages -= v.PageCount;
        CountTail(v, -1);
        docs[id] = d.With(d.Versions.RemoveAt(i));
    }

    public void Bind(Guid id, byte[] path)
    {
        if (log is not null) EncodeBind(log, id, path);
        if (paths.ContainsKey(path)) throw new FormatException("bind of a bound path");
        var d = docs.TryGetValue(id, out var doc) ? doc : throw new FormatException($"bind to unknown document {id}");
        paths = paths.SetItem(path, id);
        docs[id] = d.With(d.Paths.Add(path, id));
    }

    public void Unbind(ReadOnlySpan<byte> path)
    {
        if (log is not null)
        {
            log.Byte((byte)RecordType.Unbind);
            log.Bytes(path);
        }
        if (!paths.TryGetValue(path, out var id)) throw new FormatException("unbind of an unbound path");
        paths = paths.Remove(path);
        var d = docs[id];
        docs[id] = d.With(d.Paths.Remove(path));
    }

    public void Delete(Guid id)
    {
        if (log is not null)
        {
            log.Byte((byte)RecordType.Delete);
            log.Guid(id);
        }
        if (!docs.TryGetValue(id, out var d)) throw new FormatException($"delete of unknown document {id}");
        foreach (var p in d.Paths.All()) paths = paths.Remove(p);
        foreach (var v in d.Versions)
        {
            Freed.AddRange(v.Extents);
            dataPages -= v.PageCount;
            CountTail(v, -1);
        }
        docs.Remove(id);
    }

    public void CommitMarker(long txn)
    {
        Txn = txn;
        if (log is not null)
        {
            log.Byte((byte)RecordType.Commit);
            log.VarInt(txn);
        }
    }

    private static int IndexOfVersion(DocRecord d, long number)
    {
        for (int i = 0; i < d.Versions.Length; i++) if (d.Versions[i].Number == number) return i;
        return -1;
    }

    // ---- operations ---------------------------------------------------------------------------

    /// <summary>Makes a prepared chain the new current version of the document at
    /// <paramref name="path"/> (a new document with <paramref name="newId"/> when unbound; Guid.Empty: a fresh random id), then
    /// collects versions beyond <paramref name="keep"/> old ones.</summary>
    public DocVersion WriteVersion(ReadOnlySpan<byte> path, Guid newId, PreparedChain chain, int keep, out Guid id)
    {
        long number;
        bool bound = TryResolve(path, out var doc);
        if (bound) { id = doc.Id; number = doc.Current.Number + 1; }
        else { id = newId == Guid.Empty ? Guid.NewGuid() : newId; number = 1; } // an overwrite needs no new id (Guid.NewGuid is a getrandom call)
        var v = new DocVersion(number, chain.Length, chain.StoredLength, chain.WriteId, Txn, chain.Flags, chain.Extents, chain.Chunks, chain.Tail);
        AddVersion(id, v);
        if (!bound) Bind(id, path.ToArray());
        Collect(id, keep);
        return v;
    }

    private void Collect(Guid id, int keep)
    {
        var d = docs[id];
        for (int i = d.Versions.Length - 1; i > keep; i--) Forget(id, d.Versions[i].Number);
    }

    public Status DeletePath(ReadOnlySpan<byte> path)
    {
        if (!paths.TryGetValue(path, out var id)) return LastError.Set(Status.NotFound, $"path '{PathText.Show(path)}' is not bound");
        Unbind(path);
        if (docs[id].Paths.Count == 0) Delete(id);
        return Status.Ok;
    }

    public Status DeleteId(Guid id)
    {
        if (!docs.ContainsKey(id)) return LastError.Set(Status.NotFound, $"no document {id}");
        Delete(id);
        return Status.Ok;
    }

    public Status BindPath(Guid id, ReadOnlySpan<byte> path)
    {
        if (!docs.ContainsKey(id)) return LastError.Set(Status.NotFound, $"no document {id}");
        if (paths.TryGetValue(path, out var current))
        {
            if (current == id) return Status.Ok;
            Unbind(path);
            if (docs[current].Paths.Count == 0) Delete(current);
        }
        Bind(id, path.ToArray());
        return Status.Ok;
    }

    public Status UnbindPath(Guid id, ReadOnlySpan<byte> path)
    {
        if (!docs.ContainsKey(id)) return LastError.Set(Status.NotFound, $"no document {id}");
        if (!paths.TryGetValue(path, out var current) || current != id)
            return LastError.Set(Status.NotFound, $"path '{PathText.Show(path)}' is not bound to document {id}");
        Unbind(path);
        return Status.Ok;
    }

    // ---- replay -------------------------------------------------------------------------------

    /// <summary>Applies an encoded record stream. Throws FormatException on anything malformed
    /// or inconsistent; the loader reports that as corruption.</summary>
    public void Replay(ReadOnlySpan<byte> records, int maxPathBytes)
    {
        var r = new RecordReader(records);
        while (!r.AtEnd)
        {
            var type = (RecordType)r.Byte();
            switch (type)
            {
                case RecordType.Commit:
                    Txn = r.VarInt();
                    break;
                case RecordType.Version:
                {
                    var version = DecodeVersion(ref r, out var id);
                    if (docs.TryGetValue(id, out var d) && d.Current.Number >= version.Number)
                        throw new FormatException($"version {version.Number} of {id} is not newer than {d.Current.Number}");
                    AddVersion(id, version);
                    break;
                }
                case RecordType.Forget:
                    Forget(r.Guid(), r.VarInt());
                    break;
                case RecordType.Bind:
                {
                    var id = r.Guid();
                    Bind(id, r.Bytes(maxPathBytes).ToArray());
                    break;
                }
                case RecordType.Unbind:
                    Unbind(r.Bytes(maxPathBytes));
                    break;
                case RecordType.Delete:
                    Delete(r.Guid());
                    break;
                default:
                    throw new FormatException($"unknown record type {(byte)type}");
            }
        }
    }

    private static void EncodeVersion(RecordWriter log, Guid id, DocVersion v)
    {
        log.Byte((byte)RecordType.Version);
        log.Guid(id);
        log.VarInt(v.Number);
        log.VarInt(v.Length);
        log.VarInt(v.StoredLength);
        log.UInt64(v.WriteId);
        log.VarInt(v.CommitTxn);
        log.VarUInt(v.Flags);
        log.VarInt(v.Extents.Length);
        foreach (var e in v.Extents) { log.VarInt(e.Start); log.VarInt(e.Count); }
        if (v.IsCompressed)
        {
            log.VarInt(v.Chunks!.Length);
            foreach (long c in v.Chunks) log.VarInt(c);
        }
        if (v.Tail is { IsPresent: true } t)
        {
            log.VarInt(t.Page);
            log.VarInt(t.Offset);
            log.VarInt(t.Length);
        }
    }

    private static void EncodeBind(RecordWriter log, Guid id, ReadOnlySpan<byte> path)
    {
        log.Byte((byte)RecordType.Bind);
        log.Guid(id);
        log.Bytes(path);
    }

    internal static DocVersion DecodeVersion(ref RecordReader r, out Guid id)
    {
        var f = VersionFields.Read(ref r, VersionFields.Scratch, keepChunks: true);
        id = f.Id;
        return f.ToVersion();
    }

    /// <summary>The state a checkpoint describes, kept as the checkpoint's records
    /// (<see cref="CheckpointBase"/>: <paramref name="records"/> is kept, not copied).</summary>
    public static DbState LoadCheckpoint(byte[] records, long txn, int maxPathBytes) =>
        DbState.Of(CheckpointBase.Parse(records, maxPathBytes), txn);

    /// <summary>As above, over records that may be read as they are needed (see <see cref="RecordPages"/>).</summary>
    public static DbState LoadCheckpoint(RecordPages records, long txn, int maxPathBytes) =>
        DbState.Of(CheckpointBase.Parse(records, maxPathBytes), txn);

    public static DbState LoadCheckpoint(ReadOnlySpan<byte> records, long txn, int maxPathBytes) =>
        LoadCheckpoint(records.ToArray(), txn, maxPathBytes);

    /// <summary>Encodes <paramref name="state"/> as records that rebuild it (the checkpoint):
    /// the tables that say where everything is (<see cref="CheckpointTables"/>), every
    /// document's kept versions oldest first, documents in (hash, id) order, then every binding
    /// in path order. What the state's own checkpoint holds unchanged is copied as it is.
    /// Encodes only; builds nothing.</summary>
    public static void Serialize(DbState state, RecordWriter w)
    {
        var order = state.Docs.InCheckpointOrder(out var from);
        var tables = new CheckpointTables.Writer(w, order.Count, state.Paths.Count);
        // where each document lands, for the BindAt records: by its old position when its records are copied, else by id
        var copiedTo = new int[from?.DocCount ?? 0];
        Array.Fill(copiedTo, -1);
        var madeAt = new Dictionary<Guid, int>();
        long newestTxn = 0;
        for (int n = 0; n < order.Count; n++)
        {
            var (k, d) = order[n];
            if (d is null)
            {
                tables.Doc(n, from!.DocHash(k));
                w.Raw(from.DocRecords(k));
                copiedTo[k] = n;
                newestTxn = Math.Max(newestTxn, from.NewestCommitTxn);
            }
            else
            {
                tables.Doc(n, DocMap.Hash(d.Id));
                for (int i = d.Versions.Length - 1; i >= 0; i--)
                {
                    EncodeVersion(w, d.Id, d.Versions[i]);
                    newestTxn = Math.Max(newestTxn, d.Versions[i].CommitTxn);
                }
                madeAt[d.Id] = n;
            }
        }
        tables.DocsEnd();
        var c = state.Paths.From([]);
        int j = 0;
        while (c.MoveNext(out var path))
        {
            int at = c.CheckpointDoc >= 0 && copiedTo[c.CheckpointDoc] >= 0 ? copiedTo[c.CheckpointDoc] : madeAt[c.Id];
            w.Byte((byte)RecordType.BindAt);
            w.VarInt(at);
            // a count that went wrong would make tables that cannot be filled: a bug, never a checkpoint
            if (j >= state.Paths.Count) throw new InvalidOperationException($"more paths than the {state.Paths.Count} the index counts");
            tables.Path(j++, at);
            w.Bytes(path);
        }
        if (j != state.Paths.Count) throw new InvalidOperationException($"{j} paths, the index counts {state.Paths.Count}");
        tables.Sums(state.DataPages, newestTxn);
    }
}

/// <summary>A document chain written to pages but not yet part of any state.</summary>
internal sealed record PreparedChain(long Length, long StoredLength, ulong WriteId, uint Flags, Extent[] Extents, long[]? Chunks = null, TailRef Tail = default);
