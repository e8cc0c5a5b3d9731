using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Index;

/// <summary>
/// The index as the last checkpoint wrote it, kept as the checkpoint's own record bytes plus
/// sorted arrays of offsets into them: documents by (hash, id), paths in byte order. A lookup
/// is a binary search; a document becomes objects only when it is asked for. Building the
/// whole index as objects at open (a record, a version, a path array and a tree node for every
/// document: 296 bytes each) cost 88 ms and 47 MB for 100,000 paths, almost all of it
/// allocating and first-touching memory; this keeps about 90 bytes a document and allocates
/// nothing per document. The arrays are the tables a checkpoint begins with (see
/// <see cref="CheckpointTables"/>), used in place: an open decodes no record, and the records
/// are checked against them after it (<see cref="CheckRecords"/>). Immutable (but for each
/// document's list of paths, built once when first needed); the states built on it share it.
/// </summary>
internal sealed class CheckpointBase
{
    // Record layout this relies on (StateEditor encodes them): a version record begins with
    // the type byte and the 16-byte id.
    private const int IdOffset = 1;

    // the records, read from the checkpoint's pages as they are first needed (RecordPages):
    // every access to records goes through pages.Ensure first
    private readonly RecordPages pages;
    private readonly byte[] records;
    // documents in (hash, id) order: their hash, where their version records start and end;
    // paths in byte order: where the path's bytes (as a varint length and the bytes) are, and
    // the position of the document it names
    private readonly CheckpointTables.View tables;
    private readonly int docCount;
    private readonly int pathCount;

    // where the records after the checkpoint's tables start; 0: the checkpoint has no tables
    private readonly int tablesEnd;
    // whether the tables' entries are still to be checked (CheckpointTables.Check): a
    // checkpoint read as needed leaves that to CheckRecords, which reads all of it anyway
    private readonly bool tablesUnchecked;

    // each document's paths linked in path order; null until first needed (see Links)
    private PathLinks? links;
    // documents whose paths were found by scanning while there were no links (see Doc)
    private int scansWithoutLinks;

    // every Spacing-th path, to narrow a lookup; null until built (see LowerBound). lookups
    // counts searches until then (a racy count: it only has to get there), fenceBuilder is 1
    // while (or once) a thread builds them
    private PathFences? fences;
    private int lookups;
    private int fenceBuilder;

    private CheckpointBase(RecordPages pages, CheckpointTables.View tables, int tablesEnd, bool tablesUnchecked = false)
    {
        this.pages = pages;
        records = pages.Bytes;
        this.tables = tables;
        this.tablesEnd = tablesEnd;
        this.tablesUnchecked = tablesUnchecked;
        docCount = tables.Docs;
        pathCount = tables.Paths;
    }

    public int DocCount => docCount;
    public int PathCount => pathCount;
    /// <summary>Pages held by every version the checkpoint keeps.</summary>
    public long DataPages => tables.DataPages;
    /// <summary>No version here was committed after this txn (an upper bound: it may be larger
    /// than the newest version's own txn).</summary>
    public long NewestCommitTxn => tables.NewestTxn;
    /// <summary>Whether the checkpoint began with tables, so that its records were not decoded
    /// to load it (see <see cref="CheckRecords"/>).</summary>
    public bool HasTables => tablesEnd > 0;

    /// <summary>Sees each version record as <see cref="Parse(RecordPages, int)"/> decodes it (its extents valid
    /// for the call only); throws FormatException to refuse the checkpoint.</summary>
    public delegate void VersionVisitor(in VersionFields version);

    /// <summary>
    /// Indexes checkpoint records (kept, not copied: the caller gives up the array). A checkpoint
    /// that begins with tables (<see cref="CheckpointTables"/>, every one written since they
    /// exist) is indexed from them, its records left as they are until <see cref="CheckRecords"/>;
    /// an older one is decoded record by record (<see cref="ParseRecords"/>). Throws
    /// FormatException on anything malformed it reads.
    /// </summary>
    public static CheckpointBase Parse(byte[] records, int maxPathBytes) => Parse(new RecordPages(records), maxPathBytes);

    /// <summary>
    /// As above, over records that may be read from the checkpoint's pages as they are needed
    /// (<see cref="RecordPages"/>): then only the tables' header is read here, and the tables'
    /// entries are checked by <see cref="CheckRecords"/> (an open that reads its first path
    /// reads about twenty pages, not all of them). Until then an entry that is out of place
    /// throws <see cref="CheckpointDamagedException"/> where it is used, never reads outside the
    /// records. An older checkpoint, without tables, is read whole and decoded.
    /// </summary>
    public static CheckpointBase Parse(RecordPages pages, int maxPathBytes)
    {
        if (pages.Length > 0) pages.Ensure(0, 1);
        if (pages.Length == 0 || pages.Bytes[0] != (byte)RecordType.Tables)
        {
            pages.EnsureAll();
            return ParseRecords(pages.Bytes, 0, maxPathBytes, null);
        }
        if (pages.Complete)
        {
            int end = CheckpointTables.Read(pages, out var tables);
            return new CheckpointBase(pages, tables, end);
        }
        int tablesEnd = CheckpointTables.ReadHeader(pages, out var header);
        return new CheckpointBase(pages, header, tablesEnd, tablesUnchecked: true);
    }

    /// <summary>Whether every page of the records has been read (always, unless they are read as needed).</summary>
    internal bool AllPresent => pages.Complete;

    /// <summary>Pages of the records read so far (0 unless they are read as needed).</summary>
    internal int PagesPresent => pages.PagesPresent;

    /// <summary>
    /// Decodes every record once, shows each version to <paramref name="visit"/>, and throws
    /// FormatException unless the records are what a checkpoint holds and, when the checkpoint
    /// began with tables, exactly what the tables say. An open indexes a checkpoint from its
    /// tables and leaves this to the walk that finds the pages in use, after it returns.
    /// </summary>
    public void CheckRecords(int maxPathBytes, VersionVisitor visit)
    {
        // all of it, first: the engine frees no page before this has run, so no page of this
        // checkpoint can be reused while a later read might still need to read it
        pages.EnsureAll();
        if (tablesUnchecked) CheckpointTables.Check(tables, pages);
        if (!HasTables)
        {
            // decoded when loaded: only the versions are left to show
            for (int k = 0; k < docCount; k++)
            {
                var versions = Versions(k);
                while (versions.Next(out var v)) visit(in v);
            }
            return;
        }
        ParseRecords(records, tablesEnd, maxPathBytes, visit, expected: this);
    }

    private static FormatException Disagree(string what) => new("checkpoint tables disagree with its records: " + what);

    /// <summary>
    /// Indexes checkpoint records from <paramref name="from"/> on by decoding each once, as a
    /// full load would, showing each version to <paramref name="visit"/>. Throws FormatException
    /// on anything malformed: a document's versions apart or not increasing, paths out of order,
    /// a bind to an unknown document, a record type a checkpoint does not hold. With
    /// <paramref name="expected"/> (the same records indexed from their tables), each document
    /// and path found is compared with the tables as it is found, nothing is built, and
    /// <paramref name="expected"/> is returned: a second set of arrays to compare afterwards
    /// was 5 MB of garbage for 100,000 paths.
    /// </summary>
    private static CheckpointBase ParseRecords(byte[] records, int from, int maxPathBytes, VersionVisitor? visit, CheckpointBase? expected = null)
    {
        // Filled in place, grown if the guess is short, and kept with their spare room: lists
        // copied into exact arrays touched twice the memory (4 MB more for 100,000 paths), while
        // the untouched end of a large uninitialized array is never made resident.
        int guess = expected is not null ? 0 : Math.Min(records.Length / 48 + 16, 1 << 22); // a version and a bind take about 75 bytes: room to spare
        var hashes = GC.AllocateUninitializedArray<ulong>(guess);
        var starts = GC.AllocateUninitializedArray<int>(guess);
        var ends = GC.AllocateUninitializedArray<int>(guess);
        var pathRecord = GC.AllocateUninitializedArray<int>(guess); // where each path's bytes are
        var pathDoc = GC.AllocateUninitializedArray<int>(guess);    // the document's position (BindAt), or -1 (Bind: joined by id below)
        int docCount = 0, pathCount = 0;
        var bindIds = new List<(int Path, Guid Id)>();
        long dataPages = 0, newestTxn = 0;
        Guid groupId = default;
        int groupStart = -1, groupEnd = 0, prevPath = -1;
        long groupNumber = 0;
        var scratch = VersionFields.Scratch;
        var r = new RecordReader(records, from);
        void AddDoc(ref int count, Guid id, int start, int end)
        {
            if (expected is not null)
            {
                if (count >= expected.docCount) throw Disagree($"more documents than the {expected.docCount} the tables say");
                if (expected.tables.HashOf(count) != DocMap.Hash(id)) throw Disagree("document hashes differ");
                if (expected.tables.Start(count) != start || expected.tables.DocEnd(count) != end) throw Disagree("document offsets differ");
                count++;
                return;
            }
            if (count == hashes.Length)
            {
                int grown = checked(count * 2);
                Array.Resize(ref hashes, grown);
                Array.Resize(ref starts, grown);
                Array.Resize(ref ends, grown);
            }
            hashes[count] = DocMap.Hash(id);
            starts[count] = start;
            ends[count] = end;
            count++;
        }
        while (!r.AtEnd)
        {
            int at = r.Position;
            var type = (RecordType)r.Byte();
            if (type == RecordType.Version)
            {
                var v = VersionFields.Read(ref r, scratch, keepChunks: false);
                var id = v.Id;
                if (id == Guid.Empty) throw new FormatException("a document with the zero id");
                if (groupStart >= 0 && id == groupId)
                {
                    if (groupNumber >= v.Number) throw new FormatException($"version {v.Number} of {id} is not newer than {groupNumber}");
                }
                else
                {
                    if (groupStart >= 0) AddDoc(ref docCount, groupId, groupStart, groupEnd);
                    groupId = id;
                    groupStart = at;
                }
                groupNumber = v.Number;
                groupEnd = r.Position;
                dataPages += v.PageCount;
                newestTxn = Math.Max(newestTxn, v.CommitTxn);
                visit?.Invoke(in v);
            }
            else if (type is RecordType.Bind or RecordType.BindAt)
            {
                if (type == RecordType.Bind) bindIds.Add((pathCount, r.Guid()));
                int doc = type == RecordType.Bind ? -1 : (int)r.VarInt(int.MaxValue);
                int key = r.Position;
                var path = r.Bytes(maxPathBytes);
                if (prevPath >= 0 && PathBytes(records, prevPath).SequenceCompareTo(path) >= 0)
                    throw new FormatException("paths out of order or duplicated");
                prevPath = key;
                if (expected is not null)
                {
                    if (doc >= expected.docCount) throw new FormatException($"bind to document position {doc} of {expected.docCount}");
                    if (pathCount >= expected.pathCount) throw Disagree($"more paths than the {expected.pathCount} the tables say");
                    if (expected.tables.PathRecordOf(pathCount) != key) throw Disagree("path offsets differ");
                    if (expected.tables.PathDocOf(pathCount) != doc) throw Disagree("paths name other documents");
                    pathCount++;
                    continue;
                }
                if (pathCount == pathRecord.Length)
                {
                    Array.Resize(ref pathRecord, checked(pathCount * 2));
                    Array.Resize(ref pathDoc, pathRecord.Length);
                }
                pathRecord[pathCount] = key;
                pathDoc[pathCount] = doc;
                pathCount++;
            }
            else throw new FormatException($"record type {(byte)type} in a checkpoint");
        }
        if (groupStart >= 0) AddDoc(ref docCount, groupId, groupStart, groupEnd);
        if (expected is not null)
        {
            if (docCount != expected.docCount) throw Disagree($"{docCount} documents, tables say {expected.docCount}");
            if (pathCount != expected.pathCount) throw Disagree($"{pathCount} paths, tables say {expected.pathCount}");
            if (dataPages != expected.DataPages) throw Disagree($"versions hold {dataPages} pages, tables say {expected.DataPages}");
            if (newestTxn > expected.NewestCommitTxn) throw Disagree($"a version committed at txn {newestTxn}, tables say none after {expected.NewestCommitTxn}");
            return expected;
        }

        // Serialize writes documents in (hash, id) order; a file from before it did is sorted here.
        bool sorted = true;
        for (int k = 1; k < docCount && sorted; k++) sorted = Compare(records, (hashes[k - 1], starts[k - 1], ends[k - 1]), (hashes[k], starts[k], ends[k])) < 0;
        if (!sorted)
        {
            // positions name documents in the order the records come, which sorting would change
            if (pathCount > bindIds.Count) throw new FormatException("bindings by position in a checkpoint whose documents are out of order");
            var docs = new (ulong Hash, int Start, int End)[docCount];
            for (int k = 0; k < docCount; k++) docs[k] = (hashes[k], starts[k], ends[k]);
            Array.Sort(docs, (a, b) => Compare(records, a, b));
            for (int k = 0; k < docCount; k++) (hashes[k], starts[k], ends[k]) = docs[k];
        }
        for (int k = 1; k < docCount; k++)
            if (Compare(records, (hashes[k - 1], starts[k - 1], ends[k - 1]), (hashes[k], starts[k], ends[k])) == 0)
                throw new FormatException($"the versions of {IdAt(records, starts[k])} are not together");

        for (int j = 0; j < pathCount; j++)
            if (pathDoc[j] >= docCount) throw new FormatException($"bind to document position {pathDoc[j]} of {docCount}");
        // Bind records (older checkpoints) name their document by id: joined by sorting them by
        // the id's hash and walking them with the documents (a binary search each touched the
        // records at random: 40% of an open).
        bindIds.Sort((a, b) => DocMap.Hash(a.Id).CompareTo(DocMap.Hash(b.Id)));
        int at0 = 0;
        Span<byte> want = stackalloc byte[16];
        foreach (var (j, id) in bindIds)
        {
            ulong h = DocMap.Hash(id);
            while (at0 < docCount && hashes[at0] < h) at0++;
            id.TryWriteBytes(want, bigEndian: true, out _);
            int k = ScanFor(records, hashes, starts, docCount, at0, h, want);
            if (k < 0) throw new FormatException($"bind to unknown document {id}");
            pathDoc[j] = k;
        }
        var tables = CheckpointTables.Build(docCount, hashes, starts, ends, pathCount, pathRecord, pathDoc, dataPages, newestTxn);
        return new CheckpointBase(new RecordPages(records), tables, from);
    }

    // Each document's paths in path order, as links: FirstPath[k] (-1: none), then Next[j] (-1: the last).
    private sealed class PathLinks
    {
        public readonly int[] FirstPath;
        public readonly int[] Next;

        public PathLinks(int docCount, ReadOnlySpan<int> pathDoc)
        {
            FirstPath = new int[docCount];
            Array.Fill(FirstPath, -1);
            Next = new int[pathDoc.Length];
            var lastPath = new int[docCount];
            for (int j = 0; j < pathDoc.Length; j++)
            {
                int k = pathDoc[j];
                Next[j] = -1;
                if (FirstPath[k] < 0) FirstPath[k] = j;
                else Next[lastPath[k]] = j;
                lastPath[k] = j;
            }
        }
    }

    // Up to this many paths, the first few documents asked for before the links exist find
    // their paths by scanning which document each path names (vectorized: about 20 us for
    // 100,000): building the links takes 0.7 ms and 0.8 MB for 100,000 paths, which an open or
    // its first read need not pay (a read by path needs no document's paths at all: see
    // DocVersions). The document after the last scanned one builds them, instead of every
    // lookup scanning for ever; nothing else does (the engine's scan after an open did, and its
    // 1.2 MB of large arrays started a collection that paused the first reads).
    private const int ScanPathsUpTo = 1 << 20;
    private const int ScansBeforeLinking = 16;

    /// <summary>Whether each document's list of paths has been built.</summary>
    internal bool PathsLinked => Volatile.Read(ref links) is not null;

    /// <summary>Builds each document's list of paths now, so that no later <see cref="Doc"/> has to.</summary>
    public void LinkPaths() => Links();

    private PathLinks Links()
    {
        var l = Volatile.Read(ref links);
        if (l is not null) return l;
        l = new PathLinks(docCount, tables.PathDoc);
        return Interlocked.CompareExchange(ref links, l, null) ?? l; // a thread that built them too wasted its work, no more
    }
    private static int Compare(byte[] records, (ulong Hash, int Start, int End) a, (ulong Hash, int Start, int End) b)
    {
        int c = a.Hash.CompareTo(b.Hash);
        return c != 0 ? c : records.AsSpan(a.Start + IdOffset, 16).SequenceCompareTo(records.AsSpan(b.Start + IdOffset, 16));
    }

    private static Guid IdAt(byte[] records, int record) => new(records.AsSpan(record + IdOffset, 16), bigEndian: true);

    private static ReadOnlySpan<byte> PathBytes(byte[] records, int key)
    {
        var r = new RecordReader(records.AsSpan(key));
        return r.Bytes(int.MaxValue);
    }

    // From the first document with hash h at or after `from`: documents whose 64-bit hashes are
    // equal sit together, so the one with this id (big-endian bytes) is among them, or absent (-1).
    private static int ScanFor(byte[] records, ReadOnlySpan<ulong> hashes, ReadOnlySpan<int> starts, int count, int from, ulong h, ReadOnlySpan<byte> id)
    {
        for (int k = from; k < count && hashes[k] == h; k++)
            if (records.AsSpan(starts[k] + IdOffset, 16).SequenceEqual(id)) return k;
        return -1;
    }

    // ---- documents ----------------------------------------------------------------------------

    /// <summary>The position of document <paramref name="id"/>, or -1.</summary>
    public int FindDoc(Guid id)
    {
        ulong h = DocMap.Hash(id);
        int lo = 0, hi = docCount;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (tables.HashOf(mid) < h) lo = mid + 1;
            else hi = mid;
        }
        Span<byte> key = stackalloc byte[16];
        id.TryWriteBytes(key, bigEndian: true, out _);
        for (int k = lo; k < docCount && tables.HashOf(k) == h; k++)
            if (IdBytes(k).SequenceEqual(key)) return k;
        return -1;
    }

    // document k's id as its first record holds it (big-endian bytes)
    private ReadOnlySpan<byte> IdBytes(int k)
    {
        int at = tables.Start(k) + IdOffset;
        pages.Ensure(at, 16);
        return records.AsSpan(at, 16);
    }

    public Guid DocId(int k) => new(IdBytes(k), bigEndian: true);

    public ulong DocHash(int k) => tables.HashOf(k);

    /// <summary>The document at position <paramref name="k"/>, made from its records.</summary>
    public DocRecord Doc(int k)
    {
        var versions = DocVersions(k, out var id);
        var paths = DocPaths.Empty;
        var l = Volatile.Read(ref links);
        if (l is null && pathCount <= ScanPathsUpTo && Interlocked.Increment(ref scansWithoutLinks) <= ScansBeforeLinking)
        {
            var pathDoc = tables.PathDoc;
            for (int from = 0; ;)
            {
                int n = pathDoc[from..].IndexOf(k);
                if (n < 0) break;
                paths = paths.Add(PathAt(from + n).ToArray(), id);
                from += n + 1;
            }
        }
        else
        {
            l ??= Links();
            for (int j = l.FirstPath[k]; j >= 0; j = l.Next[j]) paths = paths.Add(PathAt(j).ToArray(), id);
        }
        return new DocRecord(id, versions, paths);
    }

    /// <summary>The versions of the document at position <paramref name="k"/>, newest first, made
    /// from its records, without its paths: what a read needs (its paths are a scan of which
    /// document every path names, or links built from it: 400 KB read and 0.8 MB built for
    /// 100,000 paths, which the first read after an open would pay).</summary>
    public VersionList DocVersions(int k, out Guid id)
    {
        var r = new RecordReader(DocRecords(k));
        id = default;
        DocVersion? only = null;
        List<DocVersion>? several = null;
        while (!r.AtEnd)
        {
            r.Byte();
            var v = StateEditor.DecodeVersion(ref r, out id);
            if (only is null) only = v;
            else (several ??= [only]).Add(v);
        }
        if (several is null) return VersionList.Of(only!);
        several.Reverse(); // records are oldest first
        return VersionList.Of(several.ToArray());
    }

    /// <summary>The newest version of the document at position <paramref name="k"/>, decoded
    /// from its records into a value: a read needs only that, and makes no object for it.</summary>
    public VersionInfo NewestVersion(int k, out Guid id)
    {
        var r = new RecordReader(DocRecords(k));
        var scratch = VersionFields.Scratch;
        VersionFields newest = default;
        bool found = false;
        // records are oldest first: the last one is the newest (the earlier ones' extents in
        // the scratch are overwritten by it, and are not needed)
        while (!r.AtEnd)
        {
            r.Byte();
            newest = VersionFields.Read(ref r, scratch, keepChunks: true);
            found = true;
        }
        if (!found) throw new CheckpointDamagedException($"document position {k} has no version records");
        id = newest.Id;
        return newest.ToInfo();
    }

    /// <summary>Document <paramref name="k"/>'s versions, oldest first, read without making
    /// objects (each one's extents valid until the next).</summary>
    public VersionCursor Versions(int k) => new(DocRecords(k));

    internal ref struct VersionCursor(ReadOnlySpan<byte> records)
    {
        private RecordReader reader = new(records);
        private readonly Extent[] scratch = VersionFields.Scratch;

        public bool Next(out VersionFields version)
        {
            if (reader.AtEnd)
            {
                version = default;
                return false;
            }
            reader.Byte();
            version = VersionFields.Read(ref reader, scratch, keepChunks: false);
            return true;
        }
    }

    /// <summary>Document <paramref name="k"/>'s version records, as a checkpoint holds them.</summary>
    public ReadOnlySpan<byte> DocRecords(int k)
    {
        int start = tables.Start(k), length = tables.DocEnd(k) - start;
        pages.Ensure(start, length);
        return records.AsSpan(start, length);
    }

    // ---- paths --------------------------------------------------------------------------------

    public ReadOnlySpan<byte> PathAt(int j)
    {
        // the length varint first (an int's takes at most 5 bytes), then the bytes it counts
        int key = tables.PathRecordOf(j);
        pages.Ensure(key, Math.Min(5, Math.Max(records.Length - key, 0)));
        var r = new RecordReader(records.AsSpan(key, Math.Min(5, records.Length - key)));
        int length = (int)r.VarInt(int.MaxValue), at = key + r.Position;
        pages.Ensure(at, length);
        return records.AsSpan(at, length);
    }

    public Guid PathId(int j) => DocId(tables.PathDocOf(j));

    /// <summary>The position of the document path <paramref name="j"/> names.</summary>
    public int PathDoc(int j) => tables.PathDocOf(j);

    /// <summary>The position of the first path &gt;= <paramref name="key"/> (PathCount: none).</summary>
    public int LowerBound(ReadOnlySpan<byte> key)
    {
        int lo = 0, hi = pathCount;
        var f = Volatile.Read(ref fences) ?? (pathCount >= FencesFrom && ++lookups >= LookupsBeforeFences ? TryBuildFences() : null);
        if (f is not null) (lo, hi) = f.Narrow(key);
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (PathAt(mid).SequenceCompareTo(key) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    // A checkpoint searched this many times gets fences (PathFences): an open and its first
    // reads do not pay for them (reading the pages that hold every path's offset and bytes,
    // about a fifth of the benchmark's 100,000-path checkpoint), a database in use soon does.
    // Below FencesFrom paths a binary search is a few probes anyway.
    internal const int LookupsBeforeFences = 512;
    internal const int FencesFrom = 8 * PathFences.Spacing;

    /// <summary>Whether lookups are narrowed by fences yet.</summary>
    internal bool HasFences => Volatile.Read(ref fences) is not null;

    // One thread builds them; lookups meanwhile search without. A device error leaves them to
    // be tried again after as many lookups; damage (a page that fails its check, an offset out
    // of place, a varint that does not end) leaves the lookups without them for good: each
    // lookup still reports the damage it reaches, and the scan before the first write reports
    // all of it.
    private PathFences? TryBuildFences()
    {
        if (Interlocked.CompareExchange(ref fenceBuilder, 1, 0) != 0) return null;
        try
        {
            // the pages that hold every path's offset and bytes, in long runs, rather than a
            // page at a time as the fences' paths ask for them
            var offsets = tables.PathRecord;
            if (offsets.Length > 0) pages.Ensure(offsets[0], Math.Max(0, records.Length - offsets[0]));
            var built = PathFences.Build(pathCount, PathAt);
            Volatile.Write(ref fences, built);
            return built;
        }
        catch (IOException)
        {
            lookups = 0;
            Volatile.Write(ref fenceBuilder, 0);
            return null;
        }
        catch (FormatException) // (CheckpointDamagedException is one)
        {
            return null;
        }
    }

    /// <summary>The position of <paramref name="path"/>, or -1.</summary>
    public int FindPath(ReadOnlySpan<byte> path)
    {
        int j = LowerBound(path);
        return j < pathCount && PathAt(j).SequenceEqual(path) ? j : -1;
    }
}
