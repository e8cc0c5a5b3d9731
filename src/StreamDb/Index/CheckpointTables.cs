using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using StreamDb.Util;

namespace StreamDb.Index;

/// <summary>
/// The record a checkpoint begins with (type <see cref="RecordType.Tables"/>): where each
/// document's version records and each path's bytes are, which document a path names, and the
/// sums an open needs, so that an open reads them in place instead of decoding every record to find
/// them (decoding 100,000 documents and paths was most of a 15 ms open). The records the tables
/// describe follow them unchanged, and are still decoded in full, checked against the tables,
/// after the open (see <see cref="CheckpointBase.CheckRecords"/>).
/// Layout, little-endian: type byte; u32 documents (D); u32 paths (P); u64 pages the versions
/// hold; u64 the newest commit txn of any version (or more); u64[D] each document's id hash, in
/// (hash, id) order; u32[D + 1] where each document's first record starts, the last entry
/// being where the bindings start; u32[P] where each path's length varint is, in path order;
/// u32[P] the position of the document each path names.
/// </summary>
internal static class CheckpointTables
{
    public const int HeaderSize = 1 + 4 + 4 + 8 + 8;

    public static long Size(long docs, long paths) => HeaderSize + docs * 8 + (docs + 1) * 4 + paths * 8;

    private static int HashAt(int k) => HeaderSize + k * 8;
    private static int StartAt(int docs, int k) => HeaderSize + docs * 8 + k * 4;
    private static int PathRecordAt(int docs, int j) => HeaderSize + docs * 12 + 4 + j * 4;
    private static int PathDocAt(int docs, int paths, int j) => HeaderSize + docs * 12 + 4 + paths * 4 + j * 4;

    /// <summary>Fills in the tables a writer reserved at <c>at</c> (the start of the stream:
    /// record offsets are the writer's own positions) as the records are written.</summary>
    public readonly struct Writer
    {
        private readonly RecordWriter w;
        private readonly int at, docs, paths;

        /// <summary>Reserves the tables for <paramref name="docs"/> documents and <paramref name="paths"/> paths.</summary>
        public Writer(RecordWriter w, int docs, int paths)
        {
            this.w = w;
            this.docs = docs;
            this.paths = paths;
            at = w.Skip(checked((int)Size(docs, paths)));
            w.Patch(at, 1)[0] = (byte)RecordType.Tables;
            BinaryPrimitives.WriteUInt32LittleEndian(w.Patch(at + 1, 4), (uint)docs);
            BinaryPrimitives.WriteUInt32LittleEndian(w.Patch(at + 5, 4), (uint)paths);
        }

        /// <summary>Document <paramref name="k"/> starts at the writer's position now.</summary>
        public void Doc(int k, ulong hash)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(w.Patch(at + HashAt(k), 8), hash);
            BinaryPrimitives.WriteUInt32LittleEndian(w.Patch(at + StartAt(docs, k), 4), (uint)w.Length);
        }

        /// <summary>The documents end, and the bindings start, at the writer's position now.</summary>
        public void DocsEnd() => BinaryPrimitives.WriteUInt32LittleEndian(w.Patch(at + StartAt(docs, docs), 4), (uint)w.Length);

        /// <summary>Path <paramref name="j"/>'s length varint is at the writer's position now; it names document <paramref name="doc"/>.</summary>
        public void Path(int j, int doc)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(w.Patch(at + PathRecordAt(docs, j), 4), (uint)w.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(w.Patch(at + PathDocAt(docs, paths, j), 4), (uint)doc);
        }

        public void Sums(long dataPages, long newestTxn)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(w.Patch(at + 9, 8), (ulong)dataPages);
            BinaryPrimitives.WriteUInt64LittleEndian(w.Patch(at + 17, 8), (ulong)newestTxn);
        }
    }

    /// <summary>
    /// The tables as a loaded checkpoint uses them: read in place from the checkpoint's own bytes
    /// (copying them out was a third of an open's parsing and 2.4 MB for 100,000 paths), or from
    /// a copy in the same layout for older checkpoints and big-endian hosts. An entry is read
    /// with the method named after it, which makes only its own bytes present when the
    /// checkpoint's pages are read as needed (<see cref="RecordPages"/>); the whole tables as
    /// spans make all of theirs present. Immutable.
    /// </summary>
    public readonly struct View
    {
        private readonly RecordPages pages; // the tables' layout from offset 0, in this host's byte order
        private readonly int[]? docEnd;     // null: document k ends where k + 1 starts (Start(k + 1))

        internal View(RecordPages pages, int docs, int paths, long dataPages, long newestTxn, int[]? docEnd)
        {
            this.pages = pages;
            this.docEnd = docEnd;
            Docs = docs;
            Paths = paths;
            DataPages = dataPages;
            NewestTxn = newestTxn;
        }

        public int Docs { get; }
        public int Paths { get; }
        public long DataPages { get; }
        public long NewestTxn { get; }
        /// <summary>Each document's id hash, in (hash, id) order.</summary>
        public ReadOnlySpan<ulong> Hash => MemoryMarshal.Cast<byte, ulong>(Whole(HashAt(0), Docs * 8));
        /// <summary>Where each document's records start, then where the last one ends.</summary>
        public ReadOnlySpan<int> Bounds => MemoryMarshal.Cast<byte, int>(Whole(StartAt(Docs, 0), (Docs + 1) * 4));
        public ReadOnlySpan<int> PathRecord => MemoryMarshal.Cast<byte, int>(Whole(PathRecordAt(Docs, 0), Paths * 4));
        public ReadOnlySpan<int> PathDoc => MemoryMarshal.Cast<byte, int>(Whole(PathDocAt(Docs, Paths, 0), Paths * 4));

        /// <summary>Document <paramref name="k"/>'s id hash.</summary>
        public ulong HashOf(int k) => Entry<ulong>(HashAt(k));
        /// <summary>Where document <paramref name="k"/>'s records start (k = Docs: where the last ends).</summary>
        public int Start(int k) => Entry<int>(StartAt(Docs, k));
        public int DocEnd(int k) => docEnd is null ? Start(k + 1) : docEnd[k];
        /// <summary>Where path <paramref name="j"/>'s length varint is.</summary>
        public int PathRecordOf(int j) => Entry<int>(PathRecordAt(Docs, j));
        /// <summary>The position of the document path <paramref name="j"/> names.</summary>
        public int PathDocOf(int j) => Entry<int>(PathDocAt(Docs, Paths, j));

        private ReadOnlySpan<byte> Whole(int at, int length)
        {
            pages.Ensure(at, length);
            return pages.Bytes.AsSpan(at, length);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private T Entry<T>(int at) where T : unmanaged
        {
            pages.Ensure(at, Unsafe.SizeOf<T>());
            return Unsafe.ReadUnaligned<T>(ref pages.Bytes[at]);
        }
    }

    /// <summary>Tables for records indexed by decoding them (a checkpoint from before tables
    /// existed), so that both kinds are used the same way.</summary>
    public static View Build(int docs, ReadOnlySpan<ulong> hash, ReadOnlySpan<int> start, ReadOnlySpan<int> end,
        int paths, ReadOnlySpan<int> pathRecord, ReadOnlySpan<int> pathDoc, long dataPages, long newestTxn)
    {
        var bytes = new byte[Size(docs, paths)];
        hash[..docs].CopyTo(MemoryMarshal.Cast<byte, ulong>(bytes.AsSpan(HashAt(0), docs * 8)));
        var bounds = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(StartAt(docs, 0), (docs + 1) * 4));
        start[..docs].CopyTo(bounds);
        bounds[docs] = docs > 0 ? end[docs - 1] : 0;
        bool apart = false; // documents sorted from an unsorted file no longer follow one another
        for (int k = 0; k + 1 < docs && !apart; k++) apart = end[k] != start[k + 1];
        pathRecord[..paths].CopyTo(MemoryMarshal.Cast<byte, int>(bytes.AsSpan(PathRecordAt(docs, 0), paths * 4)));
        pathDoc[..paths].CopyTo(MemoryMarshal.Cast<byte, int>(bytes.AsSpan(PathDocAt(docs, paths, 0), paths * 4)));
        return new View(new RecordPages(bytes), docs, paths, dataPages, newestTxn, apart ? end[..docs].ToArray() : null);
    }

    /// <summary>Reads the tables at the start of <paramref name="records"/>, in place on a
    /// little-endian host, and checks them (<see cref="Check"/>). Returns where the records
    /// after the tables start; throws FormatException when the tables are inconsistent.</summary>
    public static int Read(RecordPages records, out View view)
    {
        int end = ReadHeader(records, out view);
        Check(view, records);
        return end;
    }

    /// <summary>Reads the tables' header and sizes only (their bytes are not made present,
    /// nor are their entries checked: an open whose checkpoint is read as needed leaves
    /// <see cref="Check"/> to the scan after it). Returns where the records after the tables
    /// start; throws FormatException when the tables cannot fit the records.</summary>
    public static int ReadHeader(RecordPages records, out View view)
    {
        if (records.Length < HeaderSize) throw new FormatException("checkpoint tables missing");
        records.Ensure(0, HeaderSize);
        var s = records.Bytes.AsSpan(0, HeaderSize);
        if (s[0] != (byte)RecordType.Tables) throw new FormatException("checkpoint tables missing");
        uint docs = BinaryPrimitives.ReadUInt32LittleEndian(s[1..]);
        uint paths = BinaryPrimitives.ReadUInt32LittleEndian(s[5..]);
        ulong dataPages = BinaryPrimitives.ReadUInt64LittleEndian(s[9..]);
        ulong newest = BinaryPrimitives.ReadUInt64LittleEndian(s[17..]);
        long size = Size(docs, paths);
        if (size > records.Length) throw new FormatException($"checkpoint tables for {docs} documents and {paths} paths do not fit its {records.Length} bytes");
        if (dataPages > long.MaxValue || newest > long.MaxValue) throw new FormatException("checkpoint sums out of range");
        int d = (int)docs, p = (int)paths, end = (int)size;
        if (!BitConverter.IsLittleEndian)
        {
            records.Ensure(0, end);
            records = new RecordPages(ToHostOrder(records.Bytes.AsSpan(0, end), d, p));
        }
        view = new View(records, d, p, (long)dataPages, (long)newest, null);
        return end;
    }

    /// <summary>The checks that keep every later access to the records in bounds and every
    /// search right: offsets inside the records and increasing, documents in (hash, id) order,
    /// every path naming a document. Makes all the records present. Whether the records
    /// themselves agree is <see cref="CheckpointBase.CheckRecords"/>'s job. Throws
    /// FormatException when the tables are inconsistent.</summary>
    public static void Check(in View view, RecordPages records)
    {
        records.EnsureAll();
        var s = records.Bytes.AsSpan();
        int d = view.Docs, p = view.Paths;
        int end = (int)Size(d, p);
        var hash = view.Hash;
        var bounds = view.Bounds;

        // documents: one after another from the end of the tables, each at least a type byte
        // and an id, in (hash, id) order
        if (bounds[0] != end) throw new FormatException($"checkpoint's first document at {bounds[0]}, not after its tables at {end}");
        for (int k = 0; k < d; k++)
        {
            // (uint) so that an offset past 2 GiB, negative as an int, fails too
            if ((uint)bounds[k + 1] > (uint)s.Length || bounds[k + 1] - bounds[k] < 17)
                throw new FormatException($"checkpoint document #{k} at {bounds[k]}..{bounds[k + 1]} out of place");
        }
        for (int k = 1; k < d; k++)
        {
            if (hash[k] > hash[k - 1]) continue;
            if (hash[k] < hash[k - 1] || s.Slice(bounds[k - 1] + 1, 16).SequenceCompareTo(s.Slice(bounds[k] + 1, 16)) >= 0)
                throw new FormatException($"checkpoint documents #{k - 1} and #{k} out of order");
        }
        // paths: after the documents, increasing, each naming a document
        var pathRecord = view.PathRecord;
        var pathDoc = view.PathDoc;
        int prev = bounds[d];
        for (int j = 0; j < p; j++)
        {
            int at = pathRecord[j];
            if (at <= prev || at >= s.Length) throw new FormatException($"checkpoint path #{j} at {at} out of place");
            if ((uint)pathDoc[j] >= (uint)d) throw new FormatException($"checkpoint path #{j} names document position {pathDoc[j]} of {d}");
            prev = at;
        }
    }

    // a big-endian host reads the tables from a copy with every entry byte-swapped
    private static byte[] ToHostOrder(ReadOnlySpan<byte> tables, int docs, int paths)
    {
        var copy = tables.ToArray();
        Swap(copy.AsSpan(HashAt(0), docs * 8), 8);
        Swap(copy.AsSpan(StartAt(docs, 0), (docs + 1 + 2 * paths) * 4), 4);
        return copy;
    }

    private static void Swap(Span<byte> entries, int width)
    {
        for (int i = 0; i < entries.Length; i += width) entries.Slice(i, width).Reverse();
    }
}
