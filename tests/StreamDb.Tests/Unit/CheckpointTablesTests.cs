using System.Buffers.Binary;
using System.Text;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Tests.Unit;

/// <summary>
/// A checkpoint begins with tables that say where its records are, so that a load copies them
/// instead of decoding every record; the records are decoded later and must say the same.
/// Layout: type, u32 D, u32 P, u64 data pages, u64 newest txn, u64[D] hashes, u32[D+1] starts,
/// u32[P] path offsets, u32[P] path documents.
/// </summary>
public sealed class CheckpointTablesTests
{
    private const int Docs = 4, Paths = 6;
    private static int HashAt(int k) => CheckpointTables.HeaderSize + 8 * k;
    private static int StartAt(int k) => CheckpointTables.HeaderSize + 8 * Docs + 4 * k;
    private static int PathRecordAt(int j) => CheckpointTables.HeaderSize + 12 * Docs + 4 + 4 * j;
    private static int PathDocAt(int j) => CheckpointTables.HeaderSize + 12 * Docs + 4 + 4 * Paths + 4 * j;

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    // four documents (one with two versions, one with three paths), six paths
    private static byte[] Checkpoint()
    {
        var ed = new StateEditor(DbState.Empty, 1, null);
        var ids = Enumerable.Range(0, Docs).Select(_ => Guid.NewGuid()).ToList();
        long page = 1;
        for (int i = 0; i < Docs; i++)
        {
            ed.AddVersion(ids[i], new DocVersion(1, 10, 10, 7, 1 + i, 0, [new Extent(page++, 1)]));
            ed.Bind(ids[i], B($"/{i}"));
        }
        ed.AddVersion(ids[1], new DocVersion(2, 9000, 9000, 8, 9, 0, [new Extent(page, 2)]));
        ed.Bind(ids[2], B("/x"));
        ed.Bind(ids[2], B("/y"));
        var w = new RecordWriter();
        StateEditor.Serialize(ed.Build(), w);
        var bytes = w.Written.ToArray();
        Assert.Equal((byte)RecordType.Tables, bytes[0]);
        Assert.Equal((uint)Docs, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(1)));
        Assert.Equal((uint)Paths, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(5)));
        return bytes;
    }

    private static void NoVisit(in VersionFields v) { }

    private static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
    private static void SetU32(byte[] b, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);

    [Fact]
    public void A_checkpoint_loads_from_its_tables_and_its_records_agree_with_them()
    {
        var bytes = Checkpoint();
        var state = StateEditor.LoadCheckpoint(bytes, 9, 4096);
        var cp = state.Docs.Checkpoint!;
        Assert.True(cp.HasTables);
        Assert.Equal(Docs, cp.DocCount);
        Assert.Equal(Paths, cp.PathCount);
        Assert.Equal(6, cp.DataPages);
        Assert.Equal(9, cp.NewestCommitTxn);
        Assert.True(state.TryResolve(B("/y"), out var d));
        Assert.Equal(3, d.Paths.Count);
        Assert.True(state.TryResolve(B("/1"), out d));
        Assert.Equal(2, d.Current.Number);
        int versions = 0;
        cp.CheckRecords(4096, (in VersionFields _) => versions++);
        Assert.Equal(Docs + 1, versions);
        // the same records without the tables load to the same answers
        var old = StateEditor.LoadCheckpoint(CheckpointBaseTests.WithoutTables(bytes), 9, 4096).Docs.Checkpoint!;
        Assert.False(old.HasTables);
        for (int k = 0; k < Docs; k++) Assert.Equal(old.DocId(k), cp.DocId(k));
        for (int j = 0; j < Paths; j++) Assert.True(old.PathAt(j).SequenceEqual(cp.PathAt(j)) && old.PathDoc(j) == cp.PathDoc(j));
    }

    [Fact]
    public void A_checkpoint_with_tables_is_loaded_without_decoding_its_records()
    {
        var bytes = Checkpoint();
        // the second document's records after its id: garbage that no decoder accepts
        int start = (int)U32(bytes, StartAt(1)), end = (int)U32(bytes, StartAt(2));
        bytes.AsSpan(start + 17, end - start - 17).Fill(0xFF);
        var state = StateEditor.LoadCheckpoint(bytes, 9, 4096);
        var cp = state.Docs.Checkpoint!;
        // every other document reads as it was written
        for (int j = 0; j < Paths; j++)
            if (cp.PathDoc(j) != 1) Assert.True(state.TryResolve(cp.PathAt(j), out _));
        Assert.Throws<FormatException>(() => cp.CheckRecords(4096, NoVisit));
    }

    public static TheoryData<string, string> Inconsistent => new()
    {
        { "more documents than fit", "do not fit" },
        { "first document not after the tables", "not after its tables" },
        { "a document ending past the checkpoint", "out of place" },
        { "a document shorter than its id", "out of place" },
        { "hashes out of order", "out of order" },
        { "a path before the documents end", "out of place" },
        { "paths not increasing", "out of place" },
        { "a path naming no document", "names document position 4" },
    };

    [Theory]
    [MemberData(nameof(Inconsistent))]
    public void Tables_that_would_send_a_lookup_outside_the_records_are_refused_at_load(string damage, string message)
    {
        var b = Checkpoint();
        switch (damage)
        {
            case "more documents than fit": SetU32(b, 1, 1_000_000); break;
            case "first document not after the tables": SetU32(b, StartAt(0), U32(b, StartAt(0)) + 1); break;
            case "a document ending past the checkpoint": SetU32(b, StartAt(Docs), (uint)b.Length + 1); break;
            case "a document shorter than its id": SetU32(b, StartAt(2), U32(b, StartAt(1)) + 16); break;
            case "hashes out of order":
                var h0 = b.AsSpan(HashAt(0), 8).ToArray();
                b.AsSpan(HashAt(1), 8).CopyTo(b.AsSpan(HashAt(0), 8));
                h0.CopyTo(b.AsSpan(HashAt(1), 8));
                break;
            case "a path before the documents end": SetU32(b, PathRecordAt(0), U32(b, StartAt(Docs))); break;
            case "paths not increasing": SetU32(b, PathRecordAt(3), U32(b, PathRecordAt(2))); break;
            case "a path naming no document": SetU32(b, PathDocAt(5), Docs); break;
        }
        var e = Assert.Throws<FormatException>(() => StateEditor.LoadCheckpoint(b, 9, 4096));
        Assert.Contains(message, e.Message);
    }

    public static TheoryData<string, string> Disagreeing => new()
    {
        { "a path naming another document", "paths name other documents" },
        { "a hash in order but not the id's", "hashes differ" },
        { "one page too many", "versions hold 6 pages" },
        { "a newest txn too old", "committed at txn 9" },
        { "a path offset inside the path", "path offsets differ" },
    };

    [Theory]
    [MemberData(nameof(Disagreeing))]
    public void Tables_that_disagree_with_the_records_load_and_are_found_when_the_records_are_decoded(string damage, string message)
    {
        var b = Checkpoint();
        switch (damage)
        {
            case "a path naming another document": SetU32(b, PathDocAt(0), (U32(b, PathDocAt(0)) + 1) % Docs); break;
            case "a hash in order but not the id's":
                ulong h = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(HashAt(Docs - 1)));
                BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(HashAt(Docs - 1)), h + 1 == 0 ? h : h + 1);
                if (h + 1 == 0) BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(HashAt(0)), BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(HashAt(0))) - 1);
                break;
            case "one page too many": BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(9), 7); break;
            case "a newest txn too old": BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(17), 8); break;
            case "a path offset inside the path": SetU32(b, PathRecordAt(Paths - 1), U32(b, PathRecordAt(Paths - 1)) + 1); break;
        }
        var cp = StateEditor.LoadCheckpoint(b, 9, 4096).Docs.Checkpoint!;
        var e = Assert.Throws<FormatException>(() => cp.CheckRecords(4096, NoVisit));
        Assert.Contains(message, e.Message);
    }
}
