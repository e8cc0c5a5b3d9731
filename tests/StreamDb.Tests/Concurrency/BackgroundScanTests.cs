using StreamDb.Storage;
using StreamDb.Tests.Support;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Concurrency;

/// <summary>
/// An open hands the scan of the pages in use to a background task (PageUseScan): reads do not
/// need its result and never wait for it; the first write and the close do. The scan is held
/// back here by a device whose reads block on every thread but the test's own.
/// </summary>
public sealed class BackgroundScanTests
{
    private const int Docs = 400;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    // Long enough for a waiting call to have returned if it were not waiting; its result is
    // only ever "still waiting", so a slow machine cannot turn it into a false failure.
    private static readonly TimeSpan Glance = TimeSpan.FromMilliseconds(200);

    private static string PathOf(int i) => $"/scan/{i:D3}";

    private static byte[] FileWithDocuments()
    {
        var device = new FaultInjectingDevice(5);
        using (var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 }))
        {
            Ok(db.BeginBatch(out var batch));
            for (int i = 0; i < Docs; i++) Ok(batch!.Write(P(PathOf(i)), Data(500 + i * 7, i)));
            Ok(batch!.Commit());
            Ok(db.Compact()); // one checkpoint, in one run: the scan has pages left to read
        }
        return device.CrashImage();
    }

    // Opens the file with the gate closed: the open runs on this thread, the scan blocks.
    private static (GatedDevice Device, Database Db) OpenWithScanHeldBack()
    {
        var device = new GatedDevice(FileWithDocuments());
        GatedDevice.LetThisThreadThrough();
        device.Close();
        var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 });
        if (!device.SomeoneWaited(Patience))
        {
            // let go of the file before failing, or the scan could be left blocked for good
            device.Open();
            db.Dispose();
            Assert.Fail("the background scan never read the device");
        }
        return (device, db);
    }

    // Runs on a thread of its own (let through the gate), so that a call that waits for the
    // scan fails the test instead of hanging it.
    private static Task OnOwnThread(Action work) => Task.Factory.StartNew(() =>
    {
        GatedDevice.LetThisThreadThrough();
        work();
    }, TaskCreationOptions.LongRunning);

    [Fact]
    public void Reads_lookups_and_listings_complete_while_the_background_scan_is_held_back()
    {
        var (device, db) = OpenWithScanHeldBack();
        try
        {
            var reads = OnOwnThread(() =>
            {
                for (int i = 0; i < Docs; i += 3)
                {
                    Ok(db.Read(P(PathOf(i)), out var data));
                    Assert.Equal(Data(500 + i * 7, i), data);
                    Ok(db.Stat(P(PathOf(i)), out var info));
                    Assert.Equal(500 + i * 7, info.Size);
                    Ok(db.GetId(P(PathOf(i)), out var id));
                    Ok(db.ListPaths(id, out var paths));
                    using (paths) Assert.Equal([PathOf(i)], paths!.ToStringList());
                }
                Assert.Equal(Docs, db.Search("/scan/").Count);
            });
            Assert.True(reads.Wait(Patience), "a read waited for the background scan");
            Assert.True(device.Waiting > 0, "the scan was not held back for the whole of the reads");
        }
        finally
        {
            device.Open();
            db.Dispose();
        }
    }

    [Fact]
    public void The_first_write_waits_for_the_background_scan_and_then_commits()
    {
        var (device, db) = OpenWithScanHeldBack();
        try
        {
            var write = OnOwnThread(() => Ok(db.Write(P("/scan/new"), Data(3000, 1), out _)));
            Assert.False(write.Wait(Glance), "a write went ahead without the pages the scan finds free");
            device.Open();
            Assert.True(write.Wait(Patience), "the write did not go on once the scan could finish");
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
    public void A_close_waits_for_the_background_scan_to_finish()
    {
        var (device, db) = OpenWithScanHeldBack();
        var close = OnOwnThread(db.Dispose);
        try
        {
            Assert.False(close.Wait(Glance), "the close returned while the scan still read the file");
        }
        finally
        {
            device.Open();
        }
        Assert.True(close.Wait(Patience), "the close did not return once the scan could finish");
    }
}
