using System.Buffers.Binary;
using System.Runtime.InteropServices;
using StreamDb.Util;

namespace StreamDb.Index;

/// <summary>
/// The record a checkpoint begins with (type <see cref="RecordType.Tables"/>): where each
/// document's version records and each path's bytes are, which document a path names, and the
/// sums an open needs, so that an open copies arrays instead of decoding every record to find
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

    /// <summary>What the tables say, copied into arrays, with the checks that keep every later
    /// access to the records in bounds: offsets inside the stream and increasing, documents in
    /// (hash, id) order, every path naming a document. Whether the records themselves agree is
    /// <see cref="CheckpointBase.CheckRecords"/>'s job.</summary>
    public sealed class Contents
    {
        public int Docs, Paths, End;
        public long DataPages, NewestTxn;
        public ulong[] Hash = [];
        public int[] Start = [], DocEnd = [], PathRecord = [], PathDoc = [];
    }

    /// <summary>Reads the tables at the start of <paramref name="records"/>; throws FormatException when they are inconsistent.</summary>
    public static Contents Read(byte[] records)
    {
        var s = records.AsSpan();
        if (s.Length < HeaderSize || s[0] != (byte)RecordType.Tables) throw new FormatException("checkpoint tables missing");
        uint docs = BinaryPrimitives.ReadUInt32LittleEndian(s[1..]);
        uint paths = BinaryPrimitives.ReadUInt32LittleEndian(s[5..]);
        ulong dataPages = BinaryPrimitives.ReadUInt64LittleEndian(s[9..]);
        ulong newest = BinaryPrimitives.ReadUInt64LittleEndian(s[17..]);
        long size = Size(docs, paths);
        if (size > s.Length) throw new FormatException($"checkpoint tables for {docs} documents and {paths} paths do not fit its {s.Length} bytes");
        if (dataPages > long.MaxValue || newest > long.MaxValue) throw new FormatException("checkpoint sums out of range");
        int d = (int)docs, p = (int)paths, end = (int)size;
        var c = new Contents { Docs = d, Paths = p, End = end, DataPages = (long)dataPages, NewestTxn = (long)newest };
        c.Hash = GC.AllocateUninitializedArray<ulong>(d);
        Copy(s.Slice(HashAt(0), d * 8), MemoryMarshal.AsBytes(c.Hash.AsSpan()), 8);
        var bounds = GC.AllocateUninitializedArray<int>(d + 1);
        Copy(s.Slice(StartAt(d, 0), (d + 1) * 4), MemoryMarshal.AsBytes(bounds.AsSpan()), 4);
        c.PathRecord = GC.AllocateUninitializedArray<int>(p);
        Copy(s.Slice(PathRecordAt(d, 0), p * 4), MemoryMarshal.AsBytes(c.PathRecord.AsSpan()), 4);
        c.PathDoc = GC.AllocateUninitializedArray<int>(p);
        Copy(s.Slice(PathDocAt(d, p, 0), p * 4), MemoryMarshal.AsBytes(c.PathDoc.AsSpan()), 4);

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
            if (c.Hash[k] > c.Hash[k - 1]) continue;
            if (c.Hash[k] < c.Hash[k - 1] || s.Slice(bounds[k - 1] + 1, 16).SequenceCompareTo(s.Slice(bounds[k] + 1, 16)) >= 0)
                throw new FormatException($"checkpoint documents #{k - 1} and #{k} out of order");
        }
        c.Start = bounds.AsSpan(0, d).ToArray();
        c.DocEnd = bounds.AsSpan(1, d).ToArray();
        // paths: after the documents, increasing, each naming a document
        int prev = bounds[d];
        for (int j = 0; j < p; j++)
        {
            int at = c.PathRecord[j];
            if (at <= prev || at >= s.Length) throw new FormatException($"checkpoint path #{j} at {at} out of place");
            if ((uint)c.PathDoc[j] >= docs) throw new FormatException($"checkpoint path #{j} names document position {c.PathDoc[j]} of {docs}");
            prev = at;
        }
        return c;
    }

    private static void Copy(ReadOnlySpan<byte> from, Span<byte> to, int width)
    {
        from.CopyTo(to);
        if (BitConverter.IsLittleEndian) return;
        for (int i = 0; i < to.Length; i += width) to.Slice(i, width).Reverse();
    }
}
