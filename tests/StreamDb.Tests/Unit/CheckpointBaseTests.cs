using System.Text;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Util;
using Xunit.Abstractions;

namespace StreamDb.Tests.Unit;

/// <summary>
/// A state loaded from a checkpoint keeps the checkpoint's records and puts what later commits
/// change in an overlay. These tests hold such states to a plain model through random edits,
/// with the state re-based on a fresh checkpoint of itself at random points.
/// </summary>
public sealed class CheckpointBaseTests(ITestOutputHelper output)
{
    private sealed class Model
    {
        public readonly Dictionary<Guid, List<long>> Versions = new();       // oldest first
        public readonly SortedDictionary<string, Guid> Paths = new(StringComparer.Ordinal);
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static DocVersion Version(long number, long page) => new(number, 10, 10, (ulong)page * 7, 1, 0, [new Extent(page, 1)]);

    private static DbState Rebase(DbState state)
    {
        var w = new RecordWriter();
        StateEditor.Serialize(state, w);
        var loaded = StateEditor.LoadCheckpoint(w.Written, state.Txn, 4096);
        // loaded from the tables; the records, decoded, must say the same
        loaded.Docs.Checkpoint!.CheckRecords(4096, (in VersionFields _) => { });
        return loaded;
    }

    /// <summary>The records of a serialized state without the tables in front (as checkpoints
    /// were written before them), so that a load decodes every record.</summary>
    internal static byte[] WithoutTables(ReadOnlySpan<byte> records)
    {
        Assert.Equal((byte)RecordType.Tables, records[0]);
        long size = CheckpointTables.Size(BitConverter.ToUInt32(records[1..]), BitConverter.ToUInt32(records[5..]));
        return records[(int)size..].ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void A_state_on_a_checkpoint_with_random_edits_over_it_answers_like_a_plain_map(int seed)
    {
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var model = new Model();
        var state = DbState.Empty;
        long page = 1;
        for (int round = 0; round < 12; round++)
        {
            var ed = new StateEditor(state, state.Txn + 1, null);
            for (int op = 0; op < 60; op++) Edit(ed, model, rng, ref page);
            state = ed.Build();
            Check(state, model, rng, $"seed {seed} round {round} ({model.Versions.Count} documents, {state.Docs.OverlayCount} changed since the checkpoint)");
            if (rng.Next(3) == 0)
            {
                state = Rebase(state);
                // a document's paths found by scanning the bindings, then from the links (built after a few such scans)
                Check(state, model, rng, $"seed {seed} round {round}, re-based");
                state.Docs.Checkpoint!.LinkPaths();
                Check(state, model, rng, $"seed {seed} round {round}, re-based, paths linked");
            }
        }
    }

    private static Guid NewId(Random rng)
    {
        var b = new byte[16];
        rng.NextBytes(b);
        return new Guid(b);
    }

    // Paths come from a small pool, so paths are removed and bound again, over the checkpoint and in the overlay.
    private static string AnyPath(Random rng) => $"/p/{rng.Next(4):D1}/{rng.Next(60):D2}";

    private static void Edit(StateEditor ed, Model m, Random rng, ref long page)
    {
        var ids = m.Versions.Keys.ToList();
        // creations outnumber deletions, so that the documents accumulate and most stay unchanged between checkpoints
        int what = ids.Count == 0 ? 0 : Math.Max(0, rng.Next(10) - 3);
        var path = AnyPath(rng);
        switch (what)
        {
            case 0: // a new document at a free path
                if (m.Paths.ContainsKey(path)) return;
                var id = NewId(rng);
                ed.AddVersion(id, Version(1, page++));
                ed.Bind(id, B(path));
                m.Versions[id] = [1];
                m.Paths[path] = id;
                return;
        }
        var doc = ids[rng.Next(ids.Count)];
        var versions = m.Versions[doc];
        switch (what)
        {
            case 1: // a new version
                ed.AddVersion(doc, Version(versions[^1] + 1, page++));
                versions.Add(versions[^1] + 1);
                break;
            case 2: // forget the oldest
                if (versions.Count < 2) return;
                ed.Forget(doc, versions[0]);
                versions.RemoveAt(0);
                break;
            case 3: // one more path
                if (m.Paths.ContainsKey(path)) return;
                ed.Bind(doc, B(path));
                m.Paths[path] = doc;
                break;
            case 4: // unbind one of its paths (the document stays, reachable by id)
                var mine = m.Paths.Where(kv => kv.Value == doc).Select(kv => kv.Key).ToList();
                if (mine.Count == 0) return;
                var gone = mine[rng.Next(mine.Count)];
                ed.Unbind(B(gone));
                m.Paths.Remove(gone);
                break;
            case 5: // delete the document and its paths
                ed.Delete(doc);
                m.Versions.Remove(doc);
                foreach (var p in m.Paths.Where(kv => kv.Value == doc).Select(kv => kv.Key).ToList()) m.Paths.Remove(p);
                break;
            case 6: // delete through the path operation (deletes the document with its last path)
                var bound = m.Paths.Where(kv => kv.Value == doc).Select(kv => kv.Key).ToList();
                if (bound.Count == 0) return;
                Assert.Equal(Status.Ok, ed.DeletePath(B(bound[0])));
                m.Paths.Remove(bound[0]);
                if (bound.Count == 1) m.Versions.Remove(doc);
                break;
        }
    }

    private static void Check(DbState s, Model m, Random rng, string where)
    {
        Assert.True(m.Versions.Count == s.Docs.Count, $"{where}: document count");
        Assert.True(m.Paths.Count == s.Paths.Count, $"{where}: path count");
        foreach (var (id, versions) in m.Versions)
        {
            Assert.True(s.Docs.TryGetValue(id, out var d), $"{where}: document {id} missing");
            Assert.True(s.Docs.ContainsKey(id), $"{where}: ContainsKey {id}");
            Assert.Equal(versions.AsEnumerable().Reverse(), d.Versions.Select(v => v.Number));
            var paths = m.Paths.Where(kv => kv.Value == id).Select(kv => kv.Key);
            Assert.Equal(paths, d.Paths.All().Select(Encoding.UTF8.GetString));
        }
        for (int i = 0; i < 5; i++)
        {
            var absent = NewId(rng);
            Assert.False(s.Docs.TryGetValue(absent, out _), $"{where}: unknown id found");
        }
        Assert.Equal(m.Versions.Keys.OrderBy(g => g), s.Docs.Values.Select(d => d.Id).OrderBy(g => g));
        for (int i = 0; i < 4; i++)
        {
            var path = AnyPath(rng);
            Assert.True(m.Paths.TryGetValue(path, out var want) == s.Paths.TryGetValue(B(path), out var got), $"{where}: lookup of {path}");
            Assert.Equal(want, got);
        }
        Assert.Equal(m.Paths.Select(kv => (kv.Key, kv.Value)), s.Paths.All().Select(kv => (Encoding.UTF8.GetString(kv.Key), kv.Value)));
        // a cursor from anywhere (between paths, on one, past the end) walks the rest in order
        foreach (var from in new[] { AnyPath(rng), AnyPath(rng) + "0", "/p/1", "/q", "" })
        {
            var want = m.Paths.Where(kv => string.CompareOrdinal(kv.Key, from) >= 0).Select(kv => kv.Key).ToList();
            var got = new List<string>();
            var c = s.Paths.From(B(from));
            while (c.MoveNext(out var p)) got.Add(Encoding.UTF8.GetString(p));
            Assert.True(want.SequenceEqual(got), $"{where}: cursor from '{from}'");
        }
    }

    [Fact]
    public void A_checkpoint_written_before_documents_were_kept_in_hash_order_still_loads()
    {
        // Older checkpoints list documents in the document map's order; the loader sorts them.
        var ids = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();
        var w = new RecordWriter();
        var ed = new StateEditor(DbState.Empty, 1, w);
        for (int i = 0; i < ids.Count; i++) ed.AddVersion(ids[i], Version(1, i + 1));
        var binder = new StateEditor(ed.Build(), 1, w);
        var sorted = ids.Select((id, i) => (Path: $"/d/{i:D2}", Id: id)).ToList();
        foreach (var (path, id) in sorted) binder.Bind(id, B(path));
        var state = StateEditor.LoadCheckpoint(w.Written, 1, 4096);
        Assert.Equal(ids.Count, state.Docs.Count);
        foreach (var (path, id) in sorted)
        {
            Assert.True(state.TryResolve(B(path), out var d));
            Assert.Equal(id, d.Id);
        }
    }

    [Fact]
    public void A_checkpoint_with_more_documents_and_paths_than_its_size_suggests_loads_them_all()
    {
        // Parse sizes its arrays from the checkpoint's length and grows them when records are
        // shorter than it guessed: here many documents without a path, and many short paths to one.
        var ed = new StateEditor(DbState.Empty, 1, null);
        var ids = Enumerable.Range(0, 2000).Select(_ => Guid.NewGuid()).ToList();
        for (int i = 0; i < ids.Count; i++) ed.AddVersion(ids[i], Version(1, i + 1));
        var many = Guid.NewGuid();
        ed.AddVersion(many, Version(1, 5000));
        for (int i = 0; i < 3000; i++) ed.Bind(many, B($"/{i}"));
        var w = new RecordWriter();
        StateEditor.Serialize(ed.Build(), w);
        var state = StateEditor.LoadCheckpoint(WithoutTables(w.Written), 1, 4096);
        Assert.Equal(ids.Count + 1, state.Docs.Count);
        Assert.Equal(3000, state.Paths.Count);
        foreach (var id in ids) Assert.True(state.Docs.ContainsKey(id));
        for (int i = 0; i < 3000; i++)
        {
            Assert.True(state.TryResolve(B($"/{i}"), out var d));
            Assert.Equal(many, d.Id);
        }
        Assert.Equal(3000, state.Docs[many].Paths.Count);
    }

    [Fact]
    public void A_checkpoint_holding_a_document_with_the_zero_id_is_rejected()
    {
        var w = new RecordWriter();
        new StateEditor(DbState.Empty, 1, w).AddVersion(Guid.Empty, Version(1, 3));
        var e = Assert.Throws<FormatException>(() => StateEditor.LoadCheckpoint(w.Written, 1, 4096));
        Assert.Contains("zero id", e.Message);
    }

    [Fact]
    public void A_checkpoint_builds_its_path_links_itself_after_a_few_documents_are_asked_for()
    {
        // Nothing else builds them (the scan of the pages in use does not): if its documents kept
        // finding their paths by scanning every binding, each read would cost O(paths).
        var ed = new StateEditor(DbState.Empty, 1, null);
        var ids = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();
        for (int i = 0; i < ids.Count; i++)
        {
            ed.AddVersion(ids[i], Version(1, i + 1));
            ed.Bind(ids[i], B($"/d/{i:D2}/a"));
            ed.Bind(ids[i], B($"/d/{i:D2}/b"));
        }
        var w = new RecordWriter();
        StateEditor.Serialize(ed.Build(), w);
        var state = StateEditor.LoadCheckpoint(w.Written, 1, 4096);
        var checkpoint = state.Docs.Checkpoint!;
        Assert.False(checkpoint.PathsLinked);
        for (int i = 0; i < ids.Count; i++)
        {
            Assert.True(state.Docs.TryGetValue(ids[i], out var d));
            Assert.Equal([$"/d/{i:D2}/a", $"/d/{i:D2}/b"], d.Paths.All().Select(Encoding.UTF8.GetString));
        }
        Assert.True(checkpoint.PathsLinked);
    }

    [Fact]
    public void Replacing_a_path_over_the_checkpoint_or_in_the_overlay_keeps_the_count()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var ed = new StateEditor(DbState.Empty, 1, null);
        ed.AddVersion(a, Version(1, 1));
        ed.Bind(a, B("/a"));
        var paths = Rebase(ed.Build()).Paths;
        Assert.Equal(1, paths.Count);
        paths = paths.SetItem(B("/a"), b);   // over the checkpoint's entry
        Assert.Equal(1, paths.Count);
        paths = paths.SetItem(B("/b"), b).SetItem(B("/b"), a); // new in the overlay, then replaced there
        Assert.Equal(2, paths.Count);
        Assert.True(paths.TryGetValue(B("/a"), out var id) && id == b);
        paths = paths.Remove(B("/a")).Remove(B("/a"));
        Assert.Equal(1, paths.Count);
        Assert.False(paths.ContainsKey(B("/a")));
        Assert.Single(paths.All());
    }

    [Fact]
    public void A_checkpoint_binds_paths_by_document_position_and_a_position_out_of_range_or_over_unsorted_documents_is_rejected()
    {
        // (the records as decoded: without tables, or by CheckRecords after a load from them)
        var ed = new StateEditor(DbState.Empty, 1, null);
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        for (int i = 0; i < ids.Count; i++)
        {
            ed.AddVersion(ids[i], Version(1, i + 1));
            ed.Bind(ids[i], B($"/{i}"));
        }
        var w = new RecordWriter();
        StateEditor.Serialize(ed.Build(), w);
        var withTables = w.Written.ToArray();
        var records = WithoutTables(withTables);
        var bindAt = records.AsSpan(records.Length - 5); // the last BindAt: type, position, length 2, "/2"
        Assert.Equal((byte)RecordType.BindAt, bindAt[0]);
        Assert.True(bindAt[1] < 3);

        var outOfRange = (byte[])records.Clone();
        outOfRange[^4] = 3; // position 3 of 3 documents
        var e = Assert.Throws<FormatException>(() => StateEditor.LoadCheckpoint(outOfRange, 1, 4096));
        Assert.Contains("position 3", e.Message);
        var tablesOutOfRange = (byte[])withTables.Clone();
        tablesOutOfRange[^4] = 3;
        var loaded = StateEditor.LoadCheckpoint(tablesOutOfRange, 1, 4096); // the tables are right
        e = Assert.Throws<FormatException>(() => loaded.Docs.Checkpoint!.CheckRecords(4096, (in VersionFields _) => { }));
        Assert.Contains("position 3", e.Message);

        // the same documents out of (hash, id) order: positions would name other documents
        var versions = new List<byte[]>();
        var r = new RecordReader(records);
        int start = 0;
        for (int i = 0; i < 3; i++)
        {
            r.Byte();
            StateEditor.DecodeVersion(ref r, out _);
            versions.Add(records[start..r.Position]);
            start = r.Position;
        }
        var swapped = versions[1].Concat(versions[0]).Concat(versions[2]).Concat(records[start..]).ToArray();
        e = Assert.Throws<FormatException>(() => StateEditor.LoadCheckpoint(swapped, 1, 4096));
        Assert.Contains("out of order", e.Message);
    }

    [Fact]
    public void A_journal_holding_a_checkpoint_only_binding_by_position_is_rejected()
    {
        var w = new RecordWriter();
        w.Byte((byte)RecordType.BindAt);
        w.VarInt(0);
        w.Bytes(B("/x"));
        Assert.Throws<FormatException>(() => new StateEditor(DbState.Empty, 1, null).Replay(w.Written, 4096));
    }
}
