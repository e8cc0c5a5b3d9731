using StreamDb.Storage;
using StreamDb.Tests.Support;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

public sealed class FileAndModeTests
{
    [Fact]
    public void A_second_writer_on_the_same_file_gets_Busy()
    {
        using var dir = new TempDir();
        using var db = Database.Open(dir.File());
        Assert.Equal(Status.Busy, Database.Open(dir.File(), null, out var second));
        Assert.Null(second);
        Assert.Equal(Status.Busy, Database.Open(dir.File(), new DatabaseOptions { ReadOnly = true }, out _));
    }

    [Fact]
    public void Read_only_opens_share_the_file_and_refuse_writes()
    {
        using var dir = new TempDir();
        using (var db = Database.Open(dir.File())) db.Write("/ro", [7]);
        using var r1 = Database.Open(dir.File(), new DatabaseOptions { ReadOnly = true });
        using var r2 = Database.Open(dir.File(), new DatabaseOptions { ReadOnly = true });
        Assert.Equal(new byte[] { 7 }, r2.Read("/ro"));
        Assert.Equal(Status.ReadOnly, r1.Write(P("/x"), [1], out _));
        Assert.Equal(Status.Busy, Database.Open(dir.File(), null, out _));
    }

    [Fact]
    public void NoCreate_and_read_only_on_a_missing_file_are_NotFound()
    {
        using var dir = new TempDir();
        Assert.Equal(Status.NotFound, Database.Open(dir.File(), new DatabaseOptions { NoCreate = true }, out _));
        Assert.Equal(Status.NotFound, Database.Open(dir.File(), new DatabaseOptions { ReadOnly = true }, out _));
        Assert.False(File.Exists(dir.File()));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_Corrupted_and_left_alone()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File(), Data(10_000, 1));
        Assert.Equal(Status.Corrupted, Database.Open(dir.File(), null, out _));
        Assert.Equal(Data(10_000, 1), File.ReadAllBytes(dir.File()));
    }

    [Fact]
    public void The_page_size_is_fixed_at_creation()
    {
        using var dir = new TempDir();
        using (var db = Database.Open(dir.File(), new DatabaseOptions { PageSize = 16384 })) db.Write("/p", Data(100_000, 1));
        using (var db = Database.Open(dir.File(), new DatabaseOptions { PageSize = 4096 }))
        {
            Assert.Equal(16384, db.PageSize);
            Assert.Equal(Data(100_000, 1), db.Read("/p"));
        }
        Assert.Equal(Status.InvalidArgument, Database.Open(dir.File("other"), new DatabaseOptions { PageSize = 5000 }, out _));
    }

    [Fact]
    public void Operations_on_a_closed_database_are_InvalidArgument_and_closing_twice_too()
    {
        var db = Memory();
        Ok(db.Close());
        Assert.Equal(Status.InvalidArgument, db.Close());
        Assert.Equal(Status.InvalidArgument, db.Read(P("/x"), out _));
        Assert.Equal(Status.InvalidArgument, db.Write(P("/x"), [1], out _));
    }

    [Fact]
    public void Statistics_count_documents_paths_and_pages_exactly()
    {
        using var db = Memory(new DatabaseOptions { PageSize = 4096 });
        var id = db.Write("/a", Data(10_000, 1));
        db.Bind(id, P("/b"));
        db.Write("/c", []);
        Ok(db.GetStats(out var st));
        Assert.Equal(2, st.Documents);
        Assert.Equal(3, st.Paths);
        Assert.Equal(4096, st.PageSize);
        Assert.True(st.TotalPages >= 1 + 3 + 1 + 1);
        Assert.InRange(st.FreePages, 0, st.TotalPages);
        Ok(db.Verify()); // verify checks that the free count is exact
    }

    [Fact]
    public void Compact_returns_trailing_free_pages_to_the_file_system()
    {
        using var dir = new TempDir();
        using var db = Database.Open(dir.File());
        db.Write("/keep", [1]);
        db.Write("/drop", Data(2 << 20, 1));
        db.Delete("/drop");
        long before = new FileInfo(dir.File()).Length;
        Ok(db.Compact());
        long after = new FileInfo(dir.File()).Length;
        Assert.True(after < before / 4, $"{before} -> {after}");
        Assert.Equal(new byte[] { 1 }, db.Read("/keep"));
        Ok(db.Verify());
    }

    [Fact]
    public void Group_commit_makes_writes_durable_within_the_interval()
    {
        using var dir = new TempDir();
        using var db = Database.Open(dir.File(), new DatabaseOptions { FlushIntervalMs = 20 });
        db.Write("/g", [1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, db.Read("/g"));
        Ok(db.Flush());
        Assert.Equal(new byte[] { 1, 2, 3 }, db.Read("/g"));
    }
}

public sealed class OpenErrorTests
{
    [Fact]
    public void Opening_a_directory_is_InvalidArgument_saying_so()
    {
        using var dir = new TempDir();
        Assert.Equal(Status.InvalidArgument, Database.Open(dir.Path, null, out _));
        Assert.Contains("directory", LastError.Message);
    }

    [Fact]
    public void A_write_after_close_is_InvalidArgument_not_an_io_failure()
    {
        using var dir = new TempDir();
        var db = Database.Open(dir.File());
        Ok(db.OpenWriter(P("/w"), out var w));
        Ok(w!.Write([1, 2, 3]));
        Ok(db.Close());
        Assert.Equal(Status.InvalidArgument, w.Commit(out _));
        Assert.Contains("closed", LastError.Message);
    }
}

public sealed class FileSizeTests
{
    [Theory]
    [InlineData(0, false, false)]  // every commit syncs: zero-filled steps keep each sync cheap
    [InlineData(20, false, true)]  // syncs batched by the timer: reserve, write each page once
    [InlineData(0, true, true)]    // no syncs at all
    public void The_file_grows_by_reserving_blocks_when_syncs_are_batched(int flushIntervalMs, bool noSync, bool reserves)
    {
        using var dir = new TempDir();
        using var db = Database.Open(dir.File(), new DatabaseOptions { FlushIntervalMs = flushIntervalMs, NoSync = noSync });
        for (int i = 0; i < 40; i++) db.Write($"/g/{i}", Data(10_000, i));
        var device = Assert.IsType<StreamDb.Storage.FileDevice>(db.Engine.IO.Device);
        Assert.Equal(reserves ? StreamDb.Storage.FileGrowth.Allocate : StreamDb.Storage.FileGrowth.ZeroFill, device.Growth);
        Assert.Equal(OperatingSystem.IsLinux(), device.CanAllocate);
        for (int i = 0; i < 40; i++) Assert.Equal(Data(10_000, i), db.Read($"/g/{i}"));
        Ok(db.Verify());
    }

    [Fact]
    public void The_file_never_grows_past_max_db_size_even_with_growth_ahead()
    {
        using var dir = new TempDir();
        long max = 4096L * 64;
        using (var db = Database.Open(dir.File(), new DatabaseOptions { PageSize = 4096, MaxDbSize = max, NoSync = true }))
        {
            Status s;
            int i = 0;
            while ((s = db.Write(P($"/f/{i++}"), Data(3000, i), out _)) == Status.Ok)
                Assert.True(new FileInfo(dir.File()).Length <= max, $"file is {new FileInfo(dir.File()).Length} bytes, limit {max}");
            Assert.Equal(Status.Full, s);
        }
        Assert.True(new FileInfo(dir.File()).Length <= max);
    }

    [Fact]
    public void A_cleanly_closed_file_holds_exactly_its_used_pages()
    {
        using var dir = new TempDir();
        long totalPages;
        using (var db = Database.Open(dir.File(), new DatabaseOptions { PageSize = 4096 }))
        {
            for (int i = 0; i < 20; i++) db.Write($"/c/{i}", Data(5000, i));
            Ok(db.GetStats(out var st));
            totalPages = st.TotalPages;
        }
        Assert.Equal(totalPages * 4096, new FileInfo(dir.File()).Length);
    }
}

public sealed class LimitAndVisibilityTests
{
    [Fact]
    public void Max_pages_limits_the_database_like_max_db_size()
    {
        using var db = Memory(new DatabaseOptions { PageSize = 4096, MaxPages = 100 });
        Status s;
        int i = 0;
        while ((s = db.Write(P($"/p/{i++}"), Data(10_000, i), out _)) == Status.Ok) { }
        Assert.Equal(Status.Full, s);
        Assert.Contains("100 pages", LastError.Message);
        Ok(db.GetStats(out var st));
        Assert.True(st.TotalPages <= 100, $"{st.TotalPages} pages");
        Ok(db.Verify());
    }

    [Fact]
    public void A_commit_whose_sync_failed_is_never_visible_to_readers()
    {
        var device = new StreamDb.Storage.FaultInjectingDevice(11);
        using var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 });
        db.Write("/before", [1]);
        device.CrashAtSync = device.Syncs + 1;
        Assert.Equal(Status.IOError, db.Write(P("/lost"), [2], out _));
        Assert.False(db.Exists("/lost"), "readers saw a commit that the crash took back");
        Assert.True(db.Exists("/before"));
        Assert.Equal(Status.IOError, db.Write(P("/next"), [3], out _)); // refused until reopened
    }

    [Fact]
    public void A_clean_close_checkpoints_a_journal_that_outgrew_its_checkpoint_so_the_next_open_loads_in_bulk()
    {
        using var dir = new TempDir();
        using (var db = Database.Open(dir.File()))
        {
            Ok(db.BeginBatch(out var batch));
            for (int i = 0; i < 20_000; i++) Ok(batch!.Write(P($"/{i:D6}"), [(byte)i]));
            Ok(batch!.Commit());
            Assert.True(db.Engine.IndexSizes().JournalBytes > 256 * 1024);
        }
        using (var db = Database.Open(dir.File()))
        {
            var (checkpoint, journal) = db.Engine.IndexSizes();
            Assert.True(checkpoint > 0, "no checkpoint was written at close");
            Assert.Equal(0, journal);
            Assert.Equal(new byte[] { 77 }, db.Read("/000077"));
            Ok(db.GetStats(out var st));
            Assert.Equal(20_000, st.Paths);
            Ok(db.Verify());
        }
    }

    [Theory]
    [InlineData(400, true)]
    [InlineData(20, false)]
    public void A_clean_close_checkpoints_a_journal_once_replaying_it_would_cost_about_as_much_as_loading_the_checkpoint(int overwrites, bool checkpointed)
    {
        var device = new MemoryDevice();
        var o = new DatabaseOptions { PageSize = 4096 };
        long journalAtClose;
        using (var db = OnDevice(device, o))
        {
            Ok(db.BeginBatch(out var batch));
            for (int i = 0; i < 5000; i++) Ok(batch!.Write(P($"/{i:D6}"), [(byte)i]));
            Ok(batch!.Commit());
            Ok(db.Compact()); // everything in the checkpoint
            for (int i = 0; i < overwrites; i++) Ok(db.Write(P($"/{i * 7 % 5000:D6}"), [(byte)(i + 1), 2], out _));
            var (checkpoint, journal) = db.Engine.IndexSizes();
            journalAtClose = journal;
            // a journal shorter than the checkpoint and than the commit-time threshold, either
            // well above or well below a thirty-second of the checkpoint
            Assert.True(journal < checkpoint && journal < 256 * 1024, $"journal {journal}, checkpoint {checkpoint}");
            Assert.True(checkpointed ? journal * 32 > checkpoint && journal >= 8192 : journal * 32 < checkpoint, $"journal {journal}, checkpoint {checkpoint}");
        }
        using var re = OnDevice(device, o);
        Assert.Equal(checkpointed ? 0 : journalAtClose, re.Engine.IndexSizes().JournalBytes);
        Assert.Equal(new byte[] { 1, 2 }, re.Read("/000000"));
        Assert.Equal(new byte[] { 1 }, re.Read("/000001")); // never overwritten
        Ok(re.Verify());
    }
}
