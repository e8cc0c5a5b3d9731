using StreamDb.Storage;
using Xunit.Abstractions;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Crash;

/// <summary>
/// A single small document's commit writes its data pages (before the commit lock, see
/// ChainWriter.WriteAhead) and the journal's new tail page right after them: one contiguous
/// region, then the root, then syncs once. Whatever part of that reaches
/// the disk before a crash (any subset of its pages, torn pages, with or without the root), the
/// database opens to the state before the commit or the state after it, never anything else.
/// </summary>
public sealed class CombinedCommitWriteTests(ITestOutputHelper output)
{
    private const int PageSize = 4096;

    private static DatabaseOptions Options() => new() { PageSize = PageSize, VersionsToKeep = 1, PageCachePages = 64 };

    // The snapshot taken first pins every page the seeding frees: with no hole to take, the
    // commit under test grows the file and keeps the page after its data for its journal page
    // (a hole that fits the data alone would be taken instead, and the journal page written apart).
    private static (FaultInjectingDevice Device, Database Db, Database Pin) Seeded(int seed)
    {
        var device = new FaultInjectingDevice(seed) { KeepSomeUnsyncedWrites = false };
        var db = OnDevice(device, Options());
        Ok(db.Snapshot(out var pin));
        for (int i = 0; i < 5; i++) Ok(db.Write(P($"/seed/{i}"), Data(3000 + i * 1500, seed + i), out _));
        Ok(db.Write(P("/doc"), Data(9000, seed + 100), out _));
        Ok(db.Flush());
        return (device, db, pin!);
    }

    [Theory]
    [InlineData(0)]       // a one-page document
    [InlineData(100)]
    [InlineData(9000)]    // three pages
    [InlineData(30_000)]  // eight pages: the largest chain held back for one write
    public void A_small_document_commit_writes_its_data_and_the_journal_page_after_it_then_the_root(int length)
    {
        var (device, db, pin) = Seeded(1);
        using (pin)
        using (db)
        {
            int writes = device.Writes, syncs = device.Syncs;
            Ok(db.Write(P("/doc"), Data(length, 2), out _));
            Assert.Equal(3, device.Writes - writes);  // the data ahead, the journal page, the root slot
            Assert.Equal(1, device.Syncs - syncs);
            var st = db.Engine.Current;
            Assert.True(st.TryResolve(P("/doc"), out var doc));
            var chain = doc.Current;
            var (_, _, meta) = db.Engine.Layout();
            long journalTail = db.Engine.Layout().MetaPageIds[^1];
            Assert.Equal(chain.Info.PageAt(chain.PageCount - 1) + 1, journalTail); // the journal page follows the data
            Assert.Contains(journalTail, meta);
            Ok(db.Verify());
        }
    }

    [Theory]
    [InlineData(100)]    // one page
    [InlineData(5000)]   // two pages
    public void A_document_that_fits_the_last_free_pages_is_not_refused_for_its_journal_page(int length)
    {
        using var db = Memory(new DatabaseOptions { PageSize = PageSize, VersionsToKeep = 1, MaxPages = 60 });
        int written = 0;
        while (db.Write(P($"/d/{written}"), Data(length, written), out _) == Status.Ok) written++;
        Assert.Equal(Status.Full, db.Write(P("/x"), Data(length, 1), out _));
        // a batch reserves no journal page next to its document: it must be refused as well
        Ok(db.BeginBatch(out var batch));
        var s = batch!.Write(P("/x"), Data(length, 1));
        if (s == Status.Ok) s = batch.Commit();
        Assert.Equal(Status.Full, s);
        for (int i = 0; i < written; i++) Assert.Equal(Data(length, i), db.Read($"/d/{i}"));
        Ok(db.Verify());
    }

    [Fact]
    public void Documents_written_in_a_batch_do_not_leave_a_gap_for_a_journal_page()
    {
        using var db = Memory(Options());
        Ok(db.BeginBatch(out var batch));
        // 7,000 bytes: a last page too full to pack, so the documents' pages lie side by side
        for (int i = 0; i < 10; i++) Ok(batch!.Write(P($"/b/{i}"), Data(7000, i)));
        Ok(batch!.Commit());
        var st = db.Engine.Current;
        long expected = -1;
        for (int i = 0; i < 10; i++)
        {
            Assert.True(st.TryResolve(P($"/b/{i}"), out var doc));
            if (expected >= 0) Assert.Equal(expected, doc.Current.Info.PageAt(0));
            expected = doc.Current.Info.PageAt(doc.Current.PageCount - 1) + 1;
        }
    }

    [Fact]
    public void A_commit_whose_records_need_two_journal_pages_writes_them_elsewhere_and_frees_the_slot()
    {
        var (device, db, pin) = Seeded(3);
        using (pin)
        using (db)
        {
            // a path near the limit makes the records longer than one journal page
            var longPath = "/" + new string('p', PathRules.MaxBytes - 1);
            Ok(db.Write(P(longPath), Data(100, 4), out _));
            Ok(db.Write(P(longPath), Data(200, 5), out _));
            Assert.Equal(Data(200, 5), db.Read(longPath));
            Ok(db.Verify()); // the free-page count is exact: the unused slot went back
        }
    }

    [Theory]
    [InlineData(11, 100)]
    [InlineData(12, 9000)]
    [InlineData(13, 30_000)]
    public void Any_part_of_a_combined_write_reaching_the_disk_opens_to_the_old_or_the_new_state(int seed, int length)
    {
        var (device, db, pin) = Seeded(seed);
        byte[] before, after;
        var oldDoc = Data(9000, seed + 100);
        var newDoc = Data(length, seed + 200);
        using (pin)
        using (db)
        {
            before = device.CrashImage();
            Ok(db.Write(P("/doc"), newDoc, out _));
            after = device.CrashImage(); // synced: the commit returned
        }
        // The pages the commit changed: page 0 (the root slot) and one contiguous run.
        var changed = Enumerable.Range(0, after.Length / PageSize)
            .Where(p => p * PageSize >= before.Length || !before.AsSpan(p * PageSize, PageSize).SequenceEqual(after.AsSpan(p * PageSize, PageSize)))
            .ToArray();
        output.WriteLine($"seed {seed}: changed pages {string.Join(",", changed)}");
        Assert.Equal(0, changed[0]);
        var run = changed[1..];
        Assert.True(run.Length >= 2);
        Assert.Equal(Enumerable.Range(run[0], run.Length), run); // data + journal page: one region

        int rootSlot = before.AsSpan(512, 128).SequenceEqual(after.AsSpan(512, 128)) ? 1024 : 512;
        var rnd = new Random(seed);
        for (int mask = 0; mask < 1 << changed.Length; mask++)
        {
            // every subset of the changed pages, and the same subset with one of its pages torn
            for (int torn = -1; torn < changed.Length; torn++)
            {
                if (torn >= 0 && (mask & (1 << torn)) == 0) continue;
                var image = (byte[])before.Clone();
                if (image.Length < after.Length) Array.Resize(ref image, after.Length);
                for (int i = 0; i < changed.Length; i++)
                {
                    if ((mask & (1 << i)) == 0) continue;
                    // page 0: the commit wrote one 128-byte root slot (torn: a prefix of it)
                    int off = changed[i] == 0 ? rootSlot : changed[i] * PageSize;
                    int size = changed[i] == 0 ? 128 : PageSize;
                    int n = i == torn ? rnd.Next(1, size) : size;
                    after.AsSpan(off, n).CopyTo(image.AsSpan(off));
                }
                // a torn page whose lost part held the same bytes as before arrived whole
                bool complete = changed.All(p => p == 0
                    ? image.AsSpan(rootSlot, 128).SequenceEqual(after.AsSpan(rootSlot, 128))
                    : image.AsSpan(p * PageSize, PageSize).SequenceEqual(after.AsSpan(p * PageSize, PageSize)));
                CheckOpens(image, complete ? newDoc : oldDoc, complete, seed, mask, torn);
            }
        }
    }

    private static void CheckOpens(byte[] image, byte[] expected, bool complete, int seed, int mask, int torn)
    {
        string where = $"seed {seed}, pages mask {mask}, torn {torn}";
        var s = Database.OpenOn(new MemoryDevice(image), Options(), out var db);
        Assert.True(s == Status.Ok, $"{where}: open gave {s}: {LastError.Message}");
        using (db)
        {
            var got = db!.Read("/doc");
            // the old state, or (only when everything arrived) the new one
            Assert.True(got.AsSpan().SequenceEqual(expected), $"{where}: /doc is neither the expected version (complete={complete})");
            for (int i = 0; i < 5; i++) Assert.Equal(Data(3000 + i * 1500, seed + i), db.Read($"/seed/{i}"));
            Assert.True(db.Verify() == Status.Ok, $"{where}: verify: {LastError.Message}");
            Ok(db.Write(P("/after"), Data(5000, 9), out _)); // and it takes new commits
            Assert.Equal(Data(5000, 9), db.Read("/after"));
        }
    }
}
