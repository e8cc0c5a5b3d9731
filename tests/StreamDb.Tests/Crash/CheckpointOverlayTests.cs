using StreamDb.Pages;
using StreamDb.Storage;
using Xunit.Abstractions;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Crash;

/// <summary>
/// An open keeps the checkpoint's documents as its records and marks the pages in use as it
/// decodes them; then it takes back what the documents the journal changed since held, and
/// marks what the journal's state holds. These tests pin down the ways that can go wrong.
/// </summary>
public sealed class CheckpointOverlayTests(ITestOutputHelper output)
{
    private const int PageSize = 4096;

    [Fact]
    public void A_page_a_checkpoint_document_gave_up_and_another_document_took_opens_as_used_once()
    {
        var device = new MemoryDevice();
        var o = new DatabaseOptions { PageSize = PageSize, VersionsToKeep = 0 };
        long oldPage, reused;
        using (var db = OnDevice(device, o))
        {
            Ok(db.Write(P("/a"), Data(100, 1), out _));
            Ok(db.Compact()); // a checkpoint that holds /a
            Assert.True(db.Engine.Current.TryResolve(P("/a"), out var a1));
            oldPage = a1.Current.Extents[0].Start;
            Ok(db.Write(P("/a"), Data(100, 2), out _)); // its first version's page is freed...
            Ok(db.Flush());
            Ok(db.Flush());
            Ok(db.Write(P("/b"), Data(100, 3), out _)); // ...and taken by /b: all in the journal
            Assert.True(db.Engine.Current.TryResolve(P("/b"), out var b));
            reused = b.Current.Extents[0].Start;
        }
        output.WriteLine($"/a's first version was on page {oldPage}, /b is on page {reused}");
        Assert.Equal(oldPage, reused); // otherwise this test shows nothing
        using var re = OnDevice(device, o);
        Assert.Equal(Data(100, 2), re.Read("/a"));
        Assert.Equal(Data(100, 3), re.Read("/b"));
        Ok(re.Verify());
    }

    [Fact]
    public void A_pack_page_counts_at_open_only_the_tails_still_in_it_after_the_commits_since_the_checkpoint()
    {
        var device = new MemoryDevice();
        var o = new DatabaseOptions { PageSize = PageSize, VersionsToKeep = 0, TailPacking = TailPacking.AllTails };
        using (var db = OnDevice(device, o))
        {
            Ok(db.BeginBatch(out var batch));
            using (batch)
            {
                for (int i = 0; i < 3; i++) Ok(batch!.Write(P($"/d/{i}"), Data(100, i)));
                Ok(batch!.Commit());
            }
            Ok(db.Compact()); // a checkpoint with three tails in one pack page
            Assert.Equal(1, PackPages(db));
            Ok(db.Delete(P("/d/0"))); // in the journal
        }
        using var re = OnDevice(device, o);
        Assert.Equal(1, PackPages(re));
        Assert.Equal(Data(100, 1), re.Read("/d/1"));
        Ok(re.Verify());
        Ok(re.Delete(P("/d/1")));
        Ok(re.Delete(P("/d/2")));
        Assert.Equal(0, PackPages(re)); // the last tail gone, the page with it
        Ok(re.Verify());
    }

    [Fact]
    public void A_checkpoint_whose_newest_document_never_reached_the_disk_opens_to_the_commit_before()
    {
        // A batch long enough that the next commit writes a checkpoint instead of a journal page.
        var device = new FaultInjectingDevice(5) { KeepSomeUnsyncedWrites = false };
        var o = new DatabaseOptions { PageSize = PageSize, VersionsToKeep = 1 };
        byte[] before, after;
        Extent[] docPages;
        using (var db = OnDevice(device, o))
        {
            Ok(db.Write(P("/doc"), Data(9000, 1), out _));
            Ok(db.BeginBatch(out var batch));
            using (batch)
            {
                for (int i = 0; i < 5000; i++) Ok(batch!.Write(P($"/many/{i:D5}"), Data(10, i)));
                Ok(batch!.Commit());
            }
            Ok(db.Flush());
            ulong checkpointBefore = db.Engine.Index.CheckpointWriteId;
            before = device.CrashImage();
            Ok(db.Write(P("/doc"), Data(9000, 2), out _));
            Assert.NotEqual(checkpointBefore, db.Engine.Index.CheckpointWriteId); // the commit wrote a checkpoint
            after = device.CrashImage();
            Assert.True(db.Engine.Current.TryResolve(P("/doc"), out var d));
            docPages = d.Current.Extents.ToArray();
        }
        // everything the commit wrote arrived except the new version's pages
        var image = (byte[])after.Clone();
        foreach (var e in docPages)
            for (long p = e.Start; p < e.End; p++)
            {
                var old = p * PageSize < before.Length ? before.AsSpan((int)(p * PageSize), PageSize) : new byte[PageSize];
                old.CopyTo(image.AsSpan((int)(p * PageSize)));
            }
        Ok(Database.OpenOn(new MemoryDevice(image), o, out var re));
        using (re)
        {
            Assert.Equal(Data(9000, 1), re!.Read("/doc"));
            Assert.Equal(Data(10, 4321), re.Read("/many/04321"));
            Ok(re.Verify());
        }
    }

    [Fact]
    public void A_commit_that_writes_a_checkpoint_leaves_its_state_on_it_with_nothing_changed_over_it()
    {
        var o = new DatabaseOptions { PageSize = PageSize };
        using var db = OnDevice(new MemoryDevice(), o);
        Ok(db.BeginBatch(out var batch));
        using (batch)
        {
            for (int i = 0; i < 5000; i++) Ok(batch!.Write(P($"/many/{i:D5}"), Data(10, i)));
            Ok(batch!.Commit());
        }
        Assert.True(db.Engine.Current.Docs.OverlayCount > 0); // the batch went to the journal
        ulong checkpointBefore = db.Engine.Index.CheckpointWriteId;
        Ok(db.Write(P("/doc"), Data(9000, 1), out _));
        Assert.NotEqual(checkpointBefore, db.Engine.Index.CheckpointWriteId); // this commit wrote a checkpoint
        var state = db.Engine.Current;
        Assert.Equal(0, state.Docs.OverlayCount);
        Assert.Equal(0, state.Paths.OverlayCount);
        Assert.Equal(5001, state.Docs.Count);
        Assert.Equal(Data(9000, 1), db.Read("/doc"));
        Assert.Equal(Data(10, 4321), db.Read("/many/04321"));
        // and later commits go over it
        Ok(db.Delete(P("/many/00001")));
        Ok(db.Write(P("/doc"), Data(9000, 2), out _));
        Assert.Equal(2, db.Engine.Current.Docs.OverlayCount);
        Assert.Equal(Data(9000, 2), db.Read("/doc"));
        Assert.Equal(5000, db.Engine.Current.Paths.Count);
        Ok(db.Verify());
    }
}
