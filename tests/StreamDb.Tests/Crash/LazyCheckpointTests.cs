using StreamDb.Commit;
using StreamDb.Format;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Storage;
using StreamDb.Util;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Crash;

/// <summary>
/// A checkpoint written in one run of pages is read by an open only as far as its lookups
/// need (see RecordPages), the rest by the scan after it: damage found then is reported where
/// it is found, never read as data, and stops writes as damage found at open would.
/// </summary>
public sealed class LazyCheckpointTests
{
    private const int PageSize = 4096;
    private const int Docs = 1000;

    // long enough that the paths take many pages of the checkpoint
    private static string PathOf(int i) => $"/lazy/{i:D4}/a-path-long-enough-to-spread-the-bindings-{i % 7}";

    // A file whose whole index is one checkpoint (no journal), and the root that names it.
    private static (byte[] Image, RootFields Root) CheckpointedFile()
    {
        var device = new FaultInjectingDevice(11);
        using (var db = OnDevice(device, new DatabaseOptions { PageSize = PageSize }))
        {
            var batch = Begin(db);
            for (int i = 0; i < Docs; i++) Ok(batch.Write(P(PathOf(i)), Data(100 + i, i)));
            Ok(batch.Commit());
            Ok(db.Bind(db.Engine.Current.Paths.TryGetValue(P(PathOf(7)), out var id) ? id : default, P("/lazy/second-path-of-7")));
            Ok(db.Compact()); // writes the checkpoint
        }
        var image = device.CrashImage();
        var root = NewestRoot(image);
        Assert.Equal(0ul, root.JournalPages);
        Assert.True(root.CheckpointPages >= 8, $"a checkpoint of {root.CheckpointPages} pages");
        return (image, root);
    }

    private static WriteBatch Begin(Database db)
    {
        Ok(db.BeginBatch(out var batch));
        return batch!;
    }

    private static RootFields NewestRoot(byte[] image)
    {
        RootFields best = default;
        foreach (int slot in new[] { 0, 1 })
            if (RootFields.TryRead(image.AsSpan(FileHeader.SlotOffset(slot), RootFields.Size), out var r) && r.Sequence > best.Sequence)
                best = r;
        Assert.True(best.Sequence > 0);
        return best;
    }

    private static Span<byte> Page(byte[] image, ulong id) => image.AsSpan((int)id * PageSize, PageSize);

    private static DbState LoadIndex(byte[] image, RootFields root, out IndexStore store)
    {
        store = new IndexStore(new PageIO(new MemoryDevice(image), PageSize, 0), shortJournalCrc: true);
        Assert.Null(store.Load(root, PathRules.MaxBytes, out var state));
        return state;
    }

    [Fact]
    public void An_open_reads_only_the_checkpoint_pages_a_lookup_needs_and_checking_the_records_reads_the_rest()
    {
        var (image, root) = CheckpointedFile();
        Assert.True((PageHeader.Read(Page(image, root.CheckpointHead)).Flags & PageFlags.Contiguous) != 0);
        var state = LoadIndex(image, root, out _);
        var checkpoint = state.Docs.Checkpoint!;
        Assert.False(checkpoint.AllPresent);
        Assert.True(checkpoint.PagesPresent <= 1, $"{checkpoint.PagesPresent} pages read by the load");

        Assert.True(state.TryResolveVersions(P(PathOf(123)), out var id, out var versions));
        Assert.Equal(123 + 100, versions[0].Length);
        int afterLookup = checkpoint.PagesPresent;
        Assert.True(afterLookup < (int)root.CheckpointPages / 2, $"{afterLookup} of {root.CheckpointPages} pages read for one lookup");
        Assert.False(checkpoint.PathsLinked);

        checkpoint.CheckRecords(PathRules.MaxBytes, (in VersionFields _) => { });
        Assert.True(checkpoint.AllPresent);
        Assert.Equal((int)root.CheckpointPages, checkpoint.PagesPresent);
        // what a lookup finds is the same before and after all of it is present
        Assert.True(state.Docs.TryGetValue(id, out var doc));
        Assert.Equal(versions[0].Length, doc.Current.Length);
        Assert.Equal(2, state.Docs.TryGetValue(state.Paths.TryGetValue(P(PathOf(7)), out var seven) ? seven : default, out var d7) ? d7.Paths.Count : 0);
    }

    [Fact]
    public void A_checkpoint_not_marked_as_one_run_of_pages_is_read_whole_at_open_as_before()
    {
        // (every checkpoint written before the flag existed, and one split over free extents)
        var (image, root) = CheckpointedFile();
        for (ulong p = root.CheckpointHead; p < root.CheckpointHead + root.CheckpointPages; p++)
        {
            var page = Page(image, p);
            var h = PageHeader.Read(page);
            h.Flags &= ~PageFlags.Contiguous;
            h.Write(page);
            Crc32C.Stamp(page);
        }
        var checkpoint = LoadIndex(image, root, out _).Docs.Checkpoint!;
        Assert.True(checkpoint.AllPresent);
        Assert.Equal(0, checkpoint.PagesPresent); // read as one array, not page by page
        using var db = OnDevice(new MemoryDevice(image));
        for (int i = 0; i < Docs; i++) Assert.Equal(Data(100 + i, i), db.Read(PathOf(i)));
        Ok(db.Verify());
    }

    // Reads every path of a file whose checkpoint is damaged after its first page: each is the
    // document's bytes or Corrupted, never other bytes, never another status.
    private static int ReadAllOrCorrupted(Database db)
    {
        int corrupted = 0;
        for (int i = 0; i < Docs; i++)
        {
            var s = db.Read(P(PathOf(i)), out var data);
            if (s == Status.Corrupted)
            {
                Assert.Contains("checkpoint", LastError.Message);
                corrupted++;
            }
            else
            {
                Ok(s);
                Assert.Equal(Data(100 + i, i), data);
            }
            // the calls that only look up (no try/catch before pages were read after the open)
            var stat = db.Stat(P(PathOf(i)), out var info);
            Assert.True(stat == Status.Corrupted || (stat == Status.Ok && info.Size == 100 + i), $"stat: {stat}");
            var got = db.GetId(P(PathOf(i)), out var id);
            Assert.True(got is Status.Ok or Status.Corrupted, $"get id: {got}");
            if (got == Status.Ok)
            {
                var listed = db.ListPaths(id, out var paths);
                Assert.True(listed is Status.Ok or Status.Corrupted, $"list paths: {listed}");
                paths?.Dispose();
            }
        }
        return corrupted;
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void A_damaged_checkpoint_page_found_after_the_open_gives_Corrupted_to_what_needs_it_and_refuses_writes(double where)
    {
        var (image, root) = CheckpointedFile();
        ulong damaged = root.CheckpointHead + (ulong)((root.CheckpointPages - 2) * where) + 1; // never the first or last page
        Page(image, damaged)[PageSize / 2] ^= 0x20;
        var device = new MemoryDevice(image);
        var original = image.ToArray();
        Ok(Database.OpenOn(device, new DatabaseOptions(), out var db)); // the open does not read that page
        using (db)
        {
            ReadAllOrCorrupted(db!);
            Assert.Equal(Status.Corrupted, db!.Write(P("/lazy/new"), [1], out _));
            Assert.Contains($"page {damaged}", LastError.Message);
            Assert.Equal(Status.Corrupted, db.Verify());
            // listing every path needs every path's bytes: all of them, or Corrupted
            var found = db.Search(P("/lazy/"), out var cursor); // (finding where to start may need it)
            Assert.True(found is Status.Ok or Status.Corrupted, $"{found}");
            if (found == Status.Ok)
            {
                using (cursor)
                {
                    Status s;
                    int listed = 0;
                    while ((s = cursor!.Next(out _)) == Status.Ok) listed++;
                    Assert.True(s == Status.Corrupted || (s == Status.Done && listed == Docs + 1), $"{s} after {listed} paths");
                }
            }
            // the managed listing throws on damage, never returns a short list
            try { Assert.Equal(Docs + 1, db.Search("/lazy/").Count); }
            catch (StreamDbException e) { Assert.Equal(Status.Corrupted, e.Status); }
            // the scan has been over every page by now (the write waited for it): a read that
            // needs the damaged page still fails, and every other one still reads
            Assert.True(ReadAllOrCorrupted(db) > 0, "no read needed the damaged page");
        }
        Assert.Equal(original, device.ToArray()); // nothing was written
    }

    [Fact]
    public void A_listing_that_reaches_a_damaged_checkpoint_page_stops_with_Corrupted_never_a_short_list()
    {
        // Damage the page holding a path near the end, which a listing from the start reaches
        // after many others, and which finding where to start (a binary search from the
        // middle path down) does not read.
        var (image, root) = CheckpointedFile();
        ulong? PageHolding(string path) // (null: split over two pages)
        {
            for (ulong p = root.CheckpointHead; p < root.CheckpointHead + root.CheckpointPages; p++)
                if (Page(image, p).IndexOf(P(path)) >= 0) return p;
            return null;
        }
        ulong? middle = PageHolding(PathOf(Docs / 2)), last = root.CheckpointHead + root.CheckpointPages - 1;
        ulong damaged = Enumerable.Range(Docs / 2 + 1, Docs / 2 - 1).Select(i => PageHolding(PathOf(i)))
            .First(p => p is not null && p != middle && p != last)!.Value;
        Page(image, damaged)[PageSize - 8] ^= 0x20;
        Ok(Database.OpenOn(new MemoryDevice(image), new DatabaseOptions(), out var db));
        using (db)
        {
            Ok(db!.Search(P(""), out var cursor));
            Status s;
            int listed = 0;
            using (cursor)
                while ((s = cursor!.Next(out _)) == Status.Ok) listed++;
            Assert.Equal(Status.Corrupted, s);
            Assert.InRange(listed, 1, Docs);
            var e = Assert.Throws<StreamDbException>(() => db.Search(""));
            Assert.Equal(Status.Corrupted, e.Status);
        }
    }

    [Fact]
    public void A_checkpoint_record_that_passes_its_page_check_but_does_not_decode_is_Corrupted_for_the_reads_that_reach_it()
    {
        // A path's length varint made endless (five bytes with the continuation bit) and the
        // page's CRC stamped again: only decoding finds it (a writer's bug, or a crafted file).
        // It was an internal error ("FormatException: varint too long").
        var (image, root) = CheckpointedFile();
        string victim = PathOf(600);
        ulong page = 0;
        int at = -1;
        for (ulong p = root.CheckpointHead + 1; p < root.CheckpointHead + root.CheckpointPages - 1 && at < 1; p++)
            (page, at) = (p, Page(image, p).IndexOf(P(victim)));
        Assert.True(at >= 1, "the path's length and bytes on one page");
        Page(image, page).Slice(at - 1, 5).Fill(0xFF);
        Crc32C.Stamp(Page(image, page));
        Ok(Database.OpenOn(new MemoryDevice(image), new DatabaseOptions(), out var db));
        using (db)
        {
            Assert.Equal(Status.Corrupted, db!.Read(P(victim), out _));
            Assert.Contains("do not decode", LastError.Message);
            Assert.Equal(Status.Corrupted, db.Stat(P(victim), out _));
            Assert.Equal(Status.Corrupted, db.Write(P("/lazy/new"), [1], out _)); // the scan before it decodes every record
            for (int i = 0; i < Docs; i++)
            {
                var s = db.Read(P(PathOf(i)), out var data);
                Assert.True(s == Status.Corrupted || (s == Status.Ok && data.AsSpan().SequenceEqual(Data(100 + i, i))), $"path #{i}: {s}");
            }
        }
    }

    [Fact]
    public void A_checkpoint_page_found_in_another_pages_place_is_damage_not_records()
    {
        // Both pages are whole, carry the checkpoint's write id and pass their CRC: only their
        // links to their neighbours say they are in each other's place.
        var (image, root) = CheckpointedFile();
        ulong a = root.CheckpointHead + 2, b = root.CheckpointHead + 5;
        var copy = Page(image, a).ToArray();
        Page(image, b).CopyTo(Page(image, a));
        copy.CopyTo(Page(image, b));
        var state = LoadIndex(image, root, out _);
        var e = Assert.Throws<CheckpointDamagedException>(() => state.Docs.Checkpoint!.CheckRecords(PathRules.MaxBytes, (in VersionFields _) => { }));
        Assert.Contains("links", e.Message);

        Ok(Database.OpenOn(new MemoryDevice(image), new DatabaseOptions(), out var db));
        using (db)
        {
            ReadAllOrCorrupted(db!);
            Assert.Equal(Status.Corrupted, db!.Verify());
        }
    }

    [Fact]
    public void A_root_whose_checkpoint_run_ends_before_its_last_page_is_refused_at_open()
    {
        // the last page is read at open, so that sizes that disagree fall back as they did
        var (image, root) = CheckpointedFile();
        // only the newest root: no older one to fall back to
        foreach (int slot in new[] { 0, 1 })
            if (RootFields.TryRead(image.AsSpan(FileHeader.SlotOffset(slot), RootFields.Size), out var r) && r.Sequence != root.Sequence)
                image.AsSpan(FileHeader.SlotOffset(slot), RootFields.Size).Clear();
        var last = Page(image, root.CheckpointHead + root.CheckpointPages - 1);
        var h = PageHeader.Read(last);
        h.Next = root.CheckpointHead; // not the end of the chain
        h.Write(last);
        Crc32C.Stamp(last);
        Assert.Equal(Status.Corrupted, Database.OpenOn(new MemoryDevice(image), new DatabaseOptions(), out _));
        Assert.Contains("not the last page of a contiguous checkpoint", LastError.Message);
    }
}
