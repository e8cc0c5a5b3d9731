using StreamDb.Index;
using StreamDb.Storage;
using StreamDb.Tests.Support;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Concurrency;

/// <summary>
/// The scan of the pages in use (PageUseScan) is run by the first call that needs the free
/// pages, on that caller's thread: an open starts no thread, reads never run it, a close of a
/// database only read does not, and reads go on while a writer runs it. A device whose reads
/// block on every thread but the ones let through holds a writer's scan back, and shows that
/// nothing else reads the file.
/// </summary>
public sealed class PageUseScanTests
{
    private const int Docs = 4000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    // Long enough for a read from another thread to have blocked if anything were reading; its
    // result is only ever "nobody did", so a slow machine cannot turn it into a false failure.
    private static readonly TimeSpan Glance = TimeSpan.FromMilliseconds(200);

    // long enough that the paths take many of the checkpoint's pages, of which reads of a few
    // documents need few
    private static string PathOf(int i) => $"/scan/{i:D4}/a-path-long-enough-to-spread-over-pages";
    private static int SizeOf(int i) => 100 + i % 700;

    private static byte[] FileWithDocuments()
    {
        var device = new FaultInjectingDevice(5);
        using (var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 }))
        {
            Ok(db.BeginBatch(out var batch));
            for (int i = 0; i < Docs; i++) Ok(batch!.Write(P(PathOf(i)), Data(SizeOf(i), i)));
            Ok(batch!.Commit());
            Ok(db.Compact()); // one checkpoint, in one run: read as lookups need it
        }
        return device.CrashImage();
    }

    // Opens the file with the gate closed: reads block on every thread but this one.
    private static (GatedDevice Device, Database Db, CheckpointBase Checkpoint) OpenGated()
    {
        var device = new GatedDevice(FileWithDocuments());
        GatedDevice.LetThisThreadThrough();
        device.Close();
        var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 });
        var checkpoint = db.Engine.Current.Docs.Checkpoint;
        Assert.NotNull(checkpoint);
        return (device, db, checkpoint);
    }

    // Runs on a thread of its own (let through the gate), so that a call that waits for the
    // scan fails the test instead of hanging it.
    private static Task OnOwnThread(Action work) => Task.Factory.StartNew(() =>
    {
        GatedDevice.LetThisThreadThrough();
        work();
    }, TaskCreationOptions.LongRunning);

    private static void ReadSome(Database db)
    {
        foreach (int i in new[] { 0, 1999, 3999 })
        {
            Ok(db.Read(P(PathOf(i)), out var data));
            Assert.Equal(Data(SizeOf(i), i), data);
            Ok(db.Stat(P(PathOf(i)), out var info));
            Assert.Equal(SizeOf(i), info.Size);
            Ok(db.GetId(P(PathOf(i)), out var id));
            Ok(db.ListPaths(id, out var paths));
            using (paths) Assert.Equal([PathOf(i)], paths!.ToStringList());
        }
        Assert.Equal(10, db.Search("/scan/039").Count);
    }

    [Fact]
    public void An_open_and_reads_leave_the_pages_in_use_unscanned_and_nothing_reads_the_file_behind_them()
    {
        var (device, db, checkpoint) = OpenGated();
        try
        {
            ReadSome(db);
            Assert.False(device.SomeoneWaited(Glance), "something read the file on a thread of its own");
            int read = checkpoint.PagesPresent;
            Assert.False(checkpoint.AllPresent, "the reads read the whole checkpoint");
            // the first write runs the scan, here on this thread
            Ok(db.Write(P("/scan/new"), Data(3000, 1), out _));
            Assert.True(checkpoint.AllPresent, "the first write wrote without the scan of the pages in use");
            Assert.True(read * 2 < checkpoint.PagesPresent, $"the reads read {read} of the checkpoint's {checkpoint.PagesPresent} pages");
        }
        finally
        {
            device.Open();
            db.Dispose();
        }
    }

    // Regression: the scan turned any exception into a problem with the state, so a read error
    // of the device while the first write scanned refused every write (Corrupted) until a reopen.
    [Fact]
    public void A_device_failing_during_the_first_writes_scan_is_an_IOError_and_the_next_write_scans_again()
    {
        var (device, db, checkpoint) = OpenGated();
        try
        {
            device.Open();
            // the new path's lookup reads its pages now, so that the scan is what meets the failure
            Assert.False(db.Exists("/scan/new"));
            Assert.False(checkpoint.AllPresent, "nothing would be left for the scan to read");
            // (a write runs the scan more than once: one failed read may not fail it)
            device.ReadsToFail = int.MaxValue;
            Assert.Equal(Status.IOError, db.Write(P("/scan/new"), Data(3000, 1), out _));
            Assert.Contains("find the free pages", LastError.Message);
            // one failed read each, the scan's first: every read after it succeeds
            device.ReadsToFail = 1;
            Assert.Equal(Status.IOError, db.GetStats(out _));
            device.ReadsToFail = 1;
            // (not Ok: its walk could succeed without the free pages it checks against)
            Assert.Equal(Status.IOError, db.Verify());
            Assert.Equal(0, device.ReadsToFail);
            Ok(db.Write(P("/scan/new"), Data(3000, 1), out _));
            Assert.True(checkpoint.AllPresent, "the write wrote without the scan of the pages in use");
            Ok(db.GetStats(out var stats));
            Assert.Equal(Docs + 1, stats.Documents);
            Ok(db.Verify());
            Ok(db.Read(P("/scan/new"), out var data));
            Assert.Equal(Data(3000, 1), data);
        }
        finally
        {
            device.ReadsToFail = 0;
            device.Open();
            db.Dispose();
        }
    }

    [Fact]
    public void The_first_write_runs_the_scan_on_its_own_thread_while_reads_go_on()
    {
        var (device, db, checkpoint) = OpenGated();
        try
        {
            // not let through the gate: the write blocks in its scan's first read
            var write = Task.Factory.StartNew(() => Ok(db.Write(P("/scan/new"), Data(3000, 1), out _)), TaskCreationOptions.LongRunning);
            Assert.True(device.SomeoneWaited(Patience), "the first write never read the file");
            var reads = OnOwnThread(() =>
            {
                ReadSome(db);
                Assert.Equal(Docs, db.Search("/scan/").Count);
            });
            Assert.True(reads.Wait(Patience), "a read waited for the writer's scan");
            Assert.False(write.IsCompleted, "the write finished while its reads were held back");
            device.Open();
            Assert.True(write.Wait(Patience), "the write did not go on once the file could be read");
            Assert.True(checkpoint.AllPresent, "the write wrote without the scan of the pages in use");
            Ok(db.Read(P("/scan/new"), out var data));
            Assert.Equal(Data(3000, 1), data);
        }
        finally
        {
            device.Open();
            db.Dispose();
        }
    }

    [Fact]
    public void Stats_right_after_an_open_run_the_scan_and_count_the_pack_pages()
    {
        // the batch packed small documents together: the free count depends on the pack pages,
        // which only the scan counts
        var (device, db, checkpoint) = OpenGated();
        try
        {
            Ok(db.GetStats(out var first));
            Assert.True(checkpoint.AllPresent, "stats did not run the scan of the pages in use");
            Ok(db.Verify());
            Ok(db.GetStats(out var again));
            Assert.Equal(again.FreePages, first.FreePages);
            Assert.Equal(again.TotalPages, first.TotalPages);
            Assert.True(first.FreePages < first.TotalPages / 2, $"{first.FreePages} of {first.TotalPages} pages free");
        }
        finally
        {
            device.Open();
            db.Dispose();
        }
    }

    [Fact]
    public void A_close_of_a_database_only_read_does_not_scan_the_pages_in_use()
    {
        var (device, db, checkpoint) = OpenGated();
        try
        {
            ReadSome(db);
        }
        finally
        {
            device.Open();
            db.Dispose();
        }
        Assert.False(checkpoint.AllPresent, "the close read the whole checkpoint");
    }
}
