using System.Text;
using StreamDb.Documents;
using StreamDb.Format;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Util;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Unit;

public sealed class SerializationTests
{
    [Theory]
    [InlineData(0UL)]
    [InlineData(127UL)]
    [InlineData(128UL)]
    [InlineData(16383UL)]
    [InlineData(ulong.MaxValue)]
    public void Varints_round_trip(ulong value)
    {
        var w = new RecordWriter();
        w.VarUInt(value);
        var r = new RecordReader(w.Written);
        Assert.Equal(value, r.VarUInt());
        Assert.True(r.AtEnd);
    }

    [Fact]
    public void An_overlong_varint_is_rejected()
    {
        var bytes = Enumerable.Repeat((byte)0xFF, 11).ToArray();
        Assert.Throws<FormatException>(() => new RecordReader(bytes).VarUInt());
    }

    private static DbState SampleState()
    {
        var ed = new StateEditor(DbState.Empty, 7, null);
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        ed.AddVersion(a, new DocVersion(1, 10, 10, 99, 3, 0, [new Extent(5, 1)]));
        ed.AddVersion(a, new DocVersion(2, 20000, 20000, 100, 4, 0, [new Extent(6, 2), new Extent(10, 1)]));
        ed.Bind(a, P("/a"));
        ed.Bind(a, P("/a2"));
        ed.AddVersion(b, new DocVersion(1, 0, 0, 101, 5, 0, [new Extent(20, 1)]));
        // packed tails: after a full page, and a document held whole in its tail
        ed.AddVersion(b, new DocVersion(2, 4100, 4100, 102, 6, DocVersion.PackedTailFlag, [new Extent(21, 1)], tail: new TailRef(30, 0, 84)));
        var c = Guid.NewGuid();
        ed.AddVersion(c, new DocVersion(1, 100, 100, 103, 6, DocVersion.PackedTailFlag, [], tail: new TailRef(30, 100, 100)));
        ed.Bind(c, P("/c"));
        return ed.Build();
    }

    [Fact]
    public void A_serialized_state_loads_to_the_same_state()
    {
        var state = SampleState();
        var w = new RecordWriter();
        StateEditor.Serialize(state, w);
        var back = StateEditor.LoadCheckpoint(w.Written, 0, 4096);
        Assert.Equal(state.Docs.Count, back.Docs.Count);
        Assert.Equal(state.Paths.Count, back.Paths.Count);
        Assert.Equal(state.DataPages, back.DataPages);
        foreach (var d in state.Docs.Values)
        {
            var e = back.Docs[d.Id];
            Assert.Equal(d.Versions.Select(v => (v.Number, v.Length, v.WriteId, v.CommitTxn, v.Tail)), e.Versions.Select(v => (v.Number, v.Length, v.WriteId, v.CommitTxn, v.Tail)));
            Assert.Equal(d.Versions.SelectMany(v => v.Extents.ToArray()), e.Versions.SelectMany(v => v.Extents.ToArray()));
            Assert.Equal(d.Paths.Count, e.Paths.Count);
        }
    }

    [Fact]
    public void Bulk_loading_a_checkpoint_gives_the_same_state_as_replaying_it()
    {
        var state = SampleState();
        var w = new RecordWriter();
        StateEditor.Serialize(state, w);
        var bulk = StateEditor.LoadCheckpoint(w.Written, 7, 4096);
        Assert.Equal(state.Docs.Count, bulk.Docs.Count);
        Assert.Equal(state.DataPages, bulk.DataPages);
        Assert.Equal(state.Paths.All().Select(kv => (Encoding.UTF8.GetString(kv.Key), kv.Value)), bulk.Paths.All().Select(kv => (Encoding.UTF8.GetString(kv.Key), kv.Value)));
        foreach (var d in state.Docs.Values)
        {
            var e = bulk.Docs[d.Id];
            Assert.Equal(d.Versions.Select(v => (v.Number, v.Length, v.WriteId, v.CommitTxn, v.Tail)), e.Versions.Select(v => (v.Number, v.Length, v.WriteId, v.CommitTxn, v.Tail)));
            Assert.Equal(d.Versions.SelectMany(v => v.Extents.ToArray()), e.Versions.SelectMany(v => v.Extents.ToArray()));
            Assert.Equal(d.Paths.All().Select(Encoding.UTF8.GetString), e.Paths.All().Select(Encoding.UTF8.GetString));
        }
    }

    [Fact]
    public void A_version_record_with_an_unknown_flag_is_rejected()
    {
        var w = new RecordWriter();
        new StateEditor(DbState.Empty, 1, w).AddVersion(Guid.NewGuid(), new DocVersion(1, 1, 1, 5, 1, 0, [new Extent(3, 1)]));
        var records = w.Written.ToArray();
        // type, id (16), number, length, stored length (one byte each), write id (8), txn: then the flags
        int flags = 1 + 16 + 3 + 8 + 1;
        Assert.Equal(0, records[flags]);
        records[flags] = 4;
        var e = Assert.Throws<FormatException>(() => new StateEditor(DbState.Empty, 0, null).Replay(records, 4096));
        Assert.Contains("unknown version flags", e.Message);
    }

    [Fact]
    public void A_checkpoint_whose_paths_are_out_of_order_is_rejected()
    {
        var id = Guid.NewGuid();
        var ed = new StateEditor(DbState.Empty, 1, null);
        ed.AddVersion(id, new DocVersion(1, 1, 1, 5, 1, 0, [new Extent(3, 1)]));
        var w = new RecordWriter();
        new StateEditor(DbState.Empty, 1, w).AddVersion(id, new DocVersion(1, 1, 1, 5, 1, 0, [new Extent(3, 1)]));
        var binder = new StateEditor(ed.Build(), 1, w);
        binder.Bind(id, P("/b"));
        binder.Bind(id, P("/a")); // a valid journal, but not checkpoint order
        Assert.Throws<FormatException>(() => StateEditor.LoadCheckpoint(w.Written, 1, 4096));
    }

    [Fact]
    public void A_checkpoint_whose_document_versions_are_apart_or_whose_bind_names_no_document_is_rejected()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var apart = new RecordWriter();
        var ed = new StateEditor(DbState.Empty, 1, apart);
        ed.AddVersion(a, new DocVersion(1, 1, 1, 5, 1, 0, [new Extent(3, 1)]));
        ed.AddVersion(b, new DocVersion(1, 1, 1, 6, 1, 0, [new Extent(4, 1)]));
        ed.AddVersion(a, new DocVersion(2, 1, 1, 7, 1, 0, [new Extent(5, 1)])); // a valid journal, but a's versions are apart
        var e = Assert.Throws<FormatException>(() => StateEditor.LoadCheckpoint(apart.Written, 1, 4096));
        Assert.Contains("not together", e.Message);

        var unknown = new RecordWriter();
        new StateEditor(DbState.Empty, 1, unknown).AddVersion(a, new DocVersion(1, 1, 1, 5, 1, 0, [new Extent(3, 1)]));
        unknown.Byte((byte)RecordType.Bind);
        unknown.Guid(b);
        unknown.Bytes(P("/b"));
        e = Assert.Throws<FormatException>(() => StateEditor.LoadCheckpoint(unknown.Written, 1, 4096));
        Assert.Contains("unknown document", e.Message);
    }

    [Fact]
    public void Truncated_or_garbage_records_are_rejected_not_misread()
    {
        var w = new RecordWriter();
        StateEditor.Serialize(SampleState(), w);
        var bytes = w.Written.ToArray();
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            var ed = new StateEditor(DbState.Empty, 0, null);
            try { ed.Replay(bytes.AsSpan(0, cut), 4096); }
            catch (FormatException) { }
            catch (KeyNotFoundException) { }
        }
        var bad = new StateEditor(DbState.Empty, 0, null);
        Assert.Throws<FormatException>(() => bad.Replay(new byte[] { 99 }, 4096));
    }

    [Fact]
    public void Root_fields_round_trip_and_a_damaged_slot_is_rejected()
    {
        var root = new RootFields { Sequence = 5, CommitTxn = 9, BaseTxn = 8, PageCount = 100, JournalTail = 42, JournalPages = 3, JournalBytes = 777, JournalTailWriteId = 0xABCDEF };
        var slot = new byte[RootFields.Size];
        root.Write(slot);
        Assert.True(RootFields.TryRead(slot, out var back));
        Assert.Equal(root, back);
        slot[17] ^= 1;
        Assert.False(RootFields.TryRead(slot, out _));
    }

    [Fact]
    public void The_file_header_carries_magic_format_version_and_page_size()
    {
        var header = new byte[4096];
        FileHeader.WriteStatic(header, 16384);
        Assert.Equal(new byte[] { 0x55, 0xAA, 0xFE, 0xED, 0xFA, 0xCE, 0xDA, 0x7A }, header[..8]);
        Assert.True(FileHeader.TryReadStatic(header, out int ps, out int version, out _));
        Assert.Equal(16384, ps);
        Assert.Equal(2, version);
        header[3] ^= 1;
        Assert.False(FileHeader.TryReadStatic(header, out _, out _, out var err));
        Assert.Contains("magic", err);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]  // files written before short-CRC journal pages
    [InlineData(2, true)]
    [InlineData(3, false)] // a newer library's
    public void The_file_header_accepts_format_versions_1_and_2(uint version, bool accepted)
    {
        var header = new byte[4096];
        FileHeader.WriteStatic(header, 8192);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), version);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), StreamDb.Util.Crc32C.Compute(header.AsSpan(0, 28)));
        Assert.Equal(accepted, FileHeader.TryReadStatic(header, out _, out int read, out var err));
        if (accepted) Assert.Equal((int)version, read);
        else Assert.Contains("unsupported format version", err);
    }

    [Fact]
    public void A_page_header_round_trips()
    {
        var page = new byte[4096];
        var h = new PageHeader { Stamp = 0xDEADBEEF, Prev = 12, Next = 14, Kind = PageKind.Data, Flags = PageFlags.First, DataLength = 4000 };
        h.Write(page);
        Assert.Equal(h, PageHeader.Read(page));
    }
}
