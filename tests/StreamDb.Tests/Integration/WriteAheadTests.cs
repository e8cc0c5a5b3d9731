using StreamDb.Storage;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

/// <summary>
/// A document written alone goes to the device before the commit lock, its first page stamped
/// with the id and version number the commit will most likely give it. When another commit
/// comes first the guess is wrong, and the commit must stamp and write the first page again:
/// otherwise the page on disk names a version the index does not have.
/// </summary>
public sealed class WriteAheadTests
{
    private const int PageSize = 4096;

    private static DatabaseOptions Options() => new() { PageSize = PageSize, VersionsToKeep = 2, PageCachePages = 0 };

    [Theory]
    [InlineData(100)]     // one page, held back with the journal slot
    [InlineData(9000)]    // three pages, held back whole
    [InlineData(60_000)]  // longer than a held chain: only the first page waits for the commit
    public void A_commit_that_comes_between_the_guess_and_the_commit_gets_the_first_page_rewritten(int length)
    {
        var device = new FaultInjectingDevice(5) { KeepSomeUnsyncedWrites = false };
        byte[] mine = Data(length, 1), theirs = Data(length / 2 + 1, 2);
        using (var db = OnDevice(device, Options()))
        {
            Ok(db.Write(P("/doc"), Data(500, 3), out var id)); // version 1
            using var w = db.Engine.NewEncoder(mine.Length, alone: true);
            Ok(w.Append(mine));
            Ok(w.Finish());
            var (guessId, guessNumber) = db.Engine.PredictWrite(P("/doc"));
            Assert.Equal((id, 2L), (guessId, guessNumber));
            Ok(w.WriteAhead(guessId, guessNumber));

            Ok(db.Write(P("/doc"), theirs, out _)); // takes version 2 first
            Ok(db.CommitFinished(P("/doc"), w, guessId, out var got));

            Assert.Equal(id, got);
            Assert.Equal(mine, db.Read("/doc"));
            Assert.Equal(3, db.Stat("/doc").Version);
            Ok(db.Verify()); // checks every page header against the index
        }
        using var reopened = OnDevice(new MemoryDevice(device.CrashImage()), Options());
        Assert.Equal(mine, reopened.Read("/doc"));
        Assert.Equal(theirs, reopened.Read("/doc", versionsBack: 1));
        Ok(reopened.Verify());
    }

    [Fact]
    public void A_new_path_bound_by_another_commit_first_gets_that_document_and_the_next_number()
    {
        using var db = Memory(Options());
        byte[] mine = Data(3000, 4);
        using var w = db.Engine.NewEncoder(mine.Length, alone: true);
        Ok(w.Append(mine));
        Ok(w.Finish());
        var (guessId, guessNumber) = db.Engine.PredictWrite(P("/new"));
        Assert.Equal(1, guessNumber);
        Ok(w.WriteAhead(guessId, guessNumber));

        Ok(db.Write(P("/new"), Data(10, 5), out var first));
        Ok(db.CommitFinished(P("/new"), w, guessId, out var got));

        Assert.Equal(first, got);
        Assert.NotEqual(guessId, got);
        Assert.Equal(mine, db.Read("/new"));
        Ok(db.Verify());
    }

    [Fact]
    public void A_right_guess_writes_the_data_once_and_the_commit_only_its_journal_page_and_root()
    {
        var device = new FaultInjectingDevice(6) { KeepSomeUnsyncedWrites = false };
        using var db = OnDevice(device, Options());
        Ok(db.Write(P("/doc"), Data(500, 3), out _));
        using var w = db.Engine.NewEncoder(5000, alone: true);
        Ok(w.Append(Data(5000, 7)));
        Ok(w.Finish());
        var (guessId, guessNumber) = db.Engine.PredictWrite(P("/doc"));
        int before = device.Writes;
        Ok(w.WriteAhead(guessId, guessNumber));
        Assert.Equal(1, device.Writes - before);
        before = device.Writes;
        Ok(db.CommitFinished(P("/doc"), w, guessId, out _));
        Assert.True(device.Writes - before <= 2, $"{device.Writes - before} writes at commit"); // journal page (unless a checkpoint), root
        Assert.Equal(Data(5000, 7), db.Read("/doc"));
        Ok(db.Verify());
    }

    [Theory]
    [InlineData(100)]
    [InlineData(60_000)]
    public void A_write_ahead_that_fails_refuses_the_write_changes_nothing_and_leaves_the_database_usable(int length)
    {
        var device = new FaultInjectingDevice(7) { KeepSomeUnsyncedWrites = false };
        using var db = OnDevice(device, Options());
        Ok(db.Write(P("/doc"), Data(500, 3), out _));
        // A rehearsal gives the pages such a write takes, and how many writes come before the
        // write-ahead (a long chain writes its other pages while it is appended).
        var (pages, restOfChain) = Rehearse(db, device, length);
        device.FailWritesAfter = device.Writes + restOfChain;
        Assert.Equal(Status.IOError, db.Write(P("/doc"), Data(length, 9), out _));
        Assert.Contains("writing document pages failed", LastError.Message);
        device.FailWritesAfter = -1;
        Assert.Equal(Data(500, 3), db.Read("/doc"));
        Assert.Equal(1, db.Stat("/doc").Version);
        Assert.Equal(pages, Rehearse(db, device, length).Pages); // the refused write gave its pages back
        Ok(db.Write(P("/doc"), Data(length, 10), out _)); // not poisoned: the commit never began
        Assert.Equal(Data(length, 10), db.Read("/doc"));
        Ok(db.Verify());
    }

    [Fact]
    public void A_first_page_written_ahead_that_reads_back_damaged_is_not_stamped_again_and_its_commit_fails()
    {
        // A wrong guess reads back a first page that went out alone (its buffer given back);
        // stamping it again would give bytes the device damaged a valid CRC.
        var device = new MemoryDevice();
        byte[] mine = Data(60_000, 11);
        using (var db = OnDevice(device, Options()))
        {
            Ok(db.Write(P("/doc"), Data(500, 3), out _));
            using var w = db.Engine.NewEncoder(mine.Length, alone: true);
            Ok(w.Append(mine));
            Ok(w.Finish());
            var (guessId, guessNumber) = db.Engine.PredictWrite(P("/doc"));
            Ok(w.WriteAhead(guessId, guessNumber));
            long firstPage = w.Prepared!.Extents[0].Start;
            Span<byte> b = stackalloc byte[1];
            device.Read(firstPage * PageSize + 2000, b);
            b[0] ^= 0x10;
            device.Write(firstPage * PageSize + 2000, b);

            Ok(db.Write(P("/doc"), Data(700, 4), out _)); // the guess is now wrong
            Assert.Equal(Status.IOError, db.CommitFinished(P("/doc"), w, guessId, out _));
            Assert.Contains("read back damaged", LastError.Message);
            Assert.Equal(Data(700, 4), db.Read("/doc"));
        }
        using var reopened = OnDevice(device, Options());
        Assert.Equal(Data(700, 4), reopened.Read("/doc"));
        Assert.Equal(2, reopened.Stat("/doc").Version);
        Ok(reopened.Verify());
    }

    [Fact]
    public void A_batch_write_whose_first_page_fails_to_go_out_is_refused_and_the_batch_commits_the_rest()
    {
        // A batch writes each document's first page as the document is added; a device error
        // there refuses that document alone, before the commit.
        var device = new FaultInjectingDevice(8) { KeepSomeUnsyncedWrites = false };
        using var db = OnDevice(device, Options());
        Ok(db.BeginBatch(out var rehearsal));
        int before = device.Writes;
        Ok(rehearsal!.Write(P("/x"), Data(40_000, 1))); // the chain's later pages, then the first
        int writes = device.Writes - before;
        rehearsal.Abort();
        Ok(db.BeginBatch(out var batch));
        using (batch)
        {
            Ok(batch!.Write(P("/a"), Data(40_000, 2)));
            before = device.Writes;
            device.FailWritesAfter = before + writes - 1; // the first page's write fails
            Assert.Equal(Status.IOError, batch.Write(P("/b"), Data(40_000, 3)));
            Assert.Contains("writing document pages failed", LastError.Message);
            Assert.Equal(writes, device.Writes - before); // it failed at its last write
            device.FailWritesAfter = -1;
            Ok(batch.Commit());
        }
        Assert.Equal(Data(40_000, 2), db.Read("/a"));
        Assert.Equal(Status.NotFound, db.Read(P("/b"), out _));
        Ok(db.Verify());
    }

    private static (Pages.Extent[] Pages, int Writes) Rehearse(Database db, FaultInjectingDevice device, int length)
    {
        int before = device.Writes;
        using var w = db.Engine.NewEncoder(length, alone: true);
        Ok(w.Append(Data(length, 8)));
        Ok(w.Finish());
        var pages = w.Prepared!.Extents;
        w.Abandon();
        return (pages, device.Writes - before);
    }
}
