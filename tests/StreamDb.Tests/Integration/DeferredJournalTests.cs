using StreamDb.Pages;
using StreamDb.Storage;
using StreamDb.Tests.Support;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

/// <summary>
/// With relaxed durability (a flush interval) a commit writes its document and leaves its
/// journal records to the next sync point, which appends them all at once into pages reserved
/// as the commits came: nothing a crash would keep is written later, and a sync point never
/// finds the file full after it accepted commits.
/// </summary>
public sealed class DeferredJournalTests
{
    // long enough that the background flush never runs during a test: the tests flush
    private static DatabaseOptions Relaxed(long maxDbSize = 0) => new()
    {
        FlushIntervalMs = 1_000_000,
        MaxDbSize = maxDbSize == 0 ? new DatabaseOptions().MaxDbSize : maxDbSize,
    };

    private static int JournalPageWrites(CountingDevice device)
    {
        var page = new byte[8192];
        int n = 0;
        foreach (var (offset, length) in device.Writes)
        {
            if (offset % 8192 != 0 || length < 4096) continue;
            for (long at = offset; at < offset + length; at += 8192)
            {
                device.Peek(at, page);
                if (PageHeader.Read(page).Kind == PageKind.Journal) n++;
            }
        }
        return n;
    }

    [Fact]
    public void Relaxed_commits_write_no_journal_page_and_the_flush_appends_all_their_records_at_once()
    {
        var device = new CountingDevice();
        using var db = OnDevice(device, Relaxed());
        Ok(db.Flush());
        device.ResetCounts();
        for (int i = 0; i < 50; i++) db.Write($"/doc/{i}", Data(1000, i));
        Assert.Equal(0, JournalPageWrites(device));
        device.ResetCounts();
        Ok(db.Flush());
        int pages = JournalPageWrites(device);
        Assert.InRange(pages, 1, 2); // 50 commits' records: a page or two, not 50
    }

    [Fact]
    public void A_crash_keeps_every_relaxed_commit_flushed_before_it_and_none_after()
    {
        var device = new FaultInjectingDevice(seed: 5);
        var db = OnDevice(device, Relaxed());
        for (int i = 0; i < 100; i++) db.Write($"/a/{i}", Data(700 + i, i));
        Ok(db.Flush());
        for (int i = 0; i < 40; i++) db.Write($"/b/{i}", Data(900, 1000 + i));
        Ok(db.Write(P("/a/0"), Data(10, 77), out _)); // an overwrite that was not flushed either
        device.Crash();
        db.Dispose();
        using var re = OnDevice(new MemoryDevice(device.CrashImage()));
        for (int i = 0; i < 100; i++) Assert.Equal(Data(700 + i, i), re.Read($"/a/{i}"));
        for (int i = 0; i < 40; i++) Assert.False(re.Exists($"/b/{i}"));
        Ok(re.Verify());
    }

    [Fact]
    public void Relaxed_commits_that_fill_the_file_are_refused_and_every_accepted_one_survives_the_flush()
    {
        // Long paths make long records: the journal takes pages as fast as the documents do.
        // (IndexStoreDeferTests shows the records' own pages refused when they run out.)
        var device = new CountingDevice();
        var accepted = new List<int>();
        var prefix = "/" + new string('f', 3000) + "/";
        using (var db = OnDevice(device, Relaxed(maxDbSize: 64 * 8192)))
        {
            for (int i = 0; i < 200; i++)
            {
                var s = db.Write(P(prefix + i), Data(i % 3 == 0 ? 0 : 100, i), out _);
                if (s == Status.Full) continue;
                Ok(s);
                accepted.Add(i);
            }
            Assert.InRange(accepted.Count, 10, 199); // the file filled up
            Ok(db.Flush());
        }
        using var re = OnDevice(device);
        foreach (int i in accepted) Assert.Equal(Data(i % 3 == 0 ? 0 : 100, i), re.Read(prefix + i));
        Ok(re.Verify());
    }

    [Fact]
    public void Relaxed_commits_write_their_records_once_they_reach_256_KiB_without_waiting_for_the_flush()
    {
        var device = new CountingDevice();
        using var db = OnDevice(device, Relaxed());
        Ok(db.Flush());
        device.ResetCounts();
        // a commit's records hold its path: 300 paths of 1,000 bytes are about 300 KB of records
        var prefix = "/" + new string('p', 990) + "/";
        for (int i = 0; i < 300; i++) db.Write(prefix + i, Data(10, i));
        Assert.True(JournalPageWrites(device) > 0, "no journal page written before the flush");
        Ok(db.Flush());
        for (int i = 0; i < 300; i++) Assert.Equal(Data(10, i), db.Read(prefix + i));
    }
}
