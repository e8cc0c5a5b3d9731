using System.Buffers.Binary;
using StreamDb.Commit;
using StreamDb.Format;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Util;
using StreamDb.Storage;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Crash;

/// <summary>Damaged storage gives Corrupted (never wrong bytes, never a crash), and verify finds it.</summary>
public sealed class CorruptionTests
{
    private static (FaultInjectingDevice Device, Database Db, long FirstDataPage) Setup()
    {
        var device = new FaultInjectingDevice(1);
        var db = OnDevice(device, new DatabaseOptions { PageSize = 4096, PageCachePages = 0 });
        db.Write("/doc", Data(40_000, 1));
        db.Write("/other", Data(100, 2));
        Ok(db.Flush());
        return (device, db, 1);
    }

    private static long PageOf(Database db, string path, int index)
    {
        var st = db.Engine.Current;
        Assert.True(st.TryResolve(P(path), out var doc));
        return doc.Current.Info.PageAt(index);
    }

    [Theory]
    [InlineData(0, 40)]      // first page, in the document header
    [InlineData(0, 2000)]    // first page, payload
    [InlineData(3, 4000)]    // a middle page, payload
    [InlineData(2, 9)]       // a page header (prev link)
    [InlineData(9, 3500)]    // the last page, its last held byte (it holds 48 + 3,472 bytes after its header)
    public void A_flipped_byte_in_a_data_page_gives_Corrupted_on_read_and_verify(int pageIndex, int offset)
    {
        var (device, db, _) = Setup();
        using (db)
        {
            long page = PageOf(db, "/doc", pageIndex);
            device.FlipBit(page * 4096 + offset, 3);
            Assert.Equal(Status.Corrupted, db.Read(P("/doc"), out var data));
            Assert.Null(data);
            // a ranged read that starts mid-page and covers the damaged page sees it too
            long from = Math.Max(0, pageIndex * 4064L - 4064 - 1000);
            Assert.Equal(Status.Corrupted, db.ReadInto(P("/doc"), from, new byte[(int)Math.Min(40_000 - from, 3 * 4096)], out _));
            Assert.Contains($"page {page}", LastError.Message);
            Assert.Equal(Status.Corrupted, db.Verify());
            Assert.Equal(Data(100, 2), db.Read("/other")); // the rest stays readable
        }
    }

    [Fact]
    public void A_flipped_byte_in_the_zero_tail_after_a_pages_held_bytes_is_harmless()
    {
        // the short CRC covers what the page holds; the tail after it is never read or returned
        var (device, db, _) = Setup();
        using (db)
        {
            long page = PageOf(db, "/doc", 9);
            device.FlipBit(page * 4096 + 4000, 3);
            Assert.Equal(Data(40_000, 1), db.Read("/doc"));
            var part = new byte[1000];
            Ok(db.ReadInto(P("/doc"), 39_000, part, out _));
            Assert.Equal(Data(40_000, 1).AsSpan(39_000).ToArray(), part);
            Ok(db.Verify());
        }
    }

    [Fact]
    public void A_page_whose_crc_covers_the_whole_page_is_still_read_and_its_tail_checked()
    {
        // pages written before short CRCs: the flag is clear and the CRC spans the page
        foreach (int cache in new[] { 0, 64 })
        {
            var device = new FaultInjectingDevice(5);
            var options = new DatabaseOptions { PageSize = 4096, PageCachePages = cache };
            long docLast, small;
            using (var db = OnDevice(device, options))
            {
                db.Write("/doc", Data(40_000, 1));
                db.Write("/small", Data(700, 2));
                Ok(db.Flush());
                docLast = PageOf(db, "/doc", 9);
                small = PageOf(db, "/small", 0);
                foreach (long page in new[] { docLast, PageOf(db, "/doc", 0), small })
                {
                    var bytes = new byte[4096];
                    device.Read(page * 4096, bytes);
                    Assert.NotEqual(0, bytes[25] & 4);
                    bytes[25] &= unchecked((byte)~4);
                    StreamDb.Util.Crc32C.Stamp(bytes);
                    device.Write(page * 4096, bytes);
                }
                device.Sync();
            }
            using (var db = OnDevice(device, options))
            {
                Assert.Equal(Data(40_000, 1), db.Read("/doc"));
                Assert.Equal(Data(700, 2), db.Read("/small"));
                var part = new byte[100];
                Ok(db.ReadInto(P("/doc"), 39_000, part, out _));
                Assert.Equal(Data(40_000, 1).AsSpan(39_000, 100).ToArray(), part);
                Ok(db.ReadInto(P("/small"), 10, part, out _));
                Assert.Equal(Data(700, 2).AsSpan(10, 100).ToArray(), part);
                Ok(db.Verify());
            }
            device.FlipBit(docLast * 4096 + 4000, 3);
            device.FlipBit(small * 4096 + 4000, 3);
            using (var db = OnDevice(device, options))
            {
                Assert.Equal(Status.Corrupted, db.ReadInto(P("/doc"), 39_000, new byte[100], out _));
                Assert.Equal(Status.Corrupted, db.Read(P("/doc"), out _));
                Assert.Equal(Status.Corrupted, db.ReadInto(P("/small"), 10, new byte[100], out _));
                Assert.Equal(Status.Corrupted, db.Read(P("/small"), out _));
                Assert.Equal(Status.Corrupted, db.Verify());
            }
        }
    }

    [Fact]
    public void Quick_mode_skips_the_crc_check()
    {
        var (device, db, _) = Setup();
        using (db)
        {
            long page = PageOf(db, "/doc", 3);
            device.FlipBit(page * 4096 + 4000, 0);
            Assert.Equal(Status.Corrupted, db.Read(P("/doc"), out _));
            Ok(db.Read(P("/doc"), out var quick, quick: true));
            Assert.NotEqual(Data(40_000, 1), quick); // the flipped bit comes through: no CRC was checked
            db.QuickMode = true;
            Ok(db.Read(P("/doc"), out _));
        }
    }

    [Fact]
    public void A_stale_page_with_a_valid_crc_but_another_writes_stamp_is_caught()
    {
        var (device, db, _) = Setup();
        using (db)
        {
            db.Write("/third", Data(40_000, 3));
            Ok(db.Flush());
            long target = PageOf(db, "/doc", 2);
            long source = PageOf(db, "/third", 2); // full, like the page it replaces
            var bytes = new byte[4096];
            device.Read(source * 4096, bytes);
            device.Write(target * 4096, bytes); // a whole valid page from another document
            device.Sync();
            Assert.Equal(Status.Corrupted, db.Read(P("/doc"), out _));
            Assert.Contains("stamp", LastError.Message);
        }
    }

    [Fact]
    public void A_destroyed_newest_root_slot_falls_back_to_the_older_one()
    {
        var device = new FaultInjectingDevice(2);
        using (var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 }))
        {
            db.Write("/first", [1]);
            db.Write("/second", [2]);
        }
        var image = device.CrashImage();
        // find the newer slot and destroy it
        RootFields.TryRead(image.AsSpan(FileHeader.SlotAOffset, RootFields.Size), out var a);
        RootFields.TryRead(image.AsSpan(FileHeader.SlotBOffset, RootFields.Size), out var b);
        int newer = a.Sequence > b.Sequence ? FileHeader.SlotAOffset : FileHeader.SlotBOffset;
        image[newer + 8] ^= 0xFF;
        Database.OpenOn(new MemoryDevice(image), new DatabaseOptions(), out var re).ThrowIfError();
        using (re)
        {
            Ok(re!.Verify());
            Assert.True(re.Exists("/first"));
            Ok(re.Write(P("/third"), [3], out _));
            Ok(re.Verify());
        }
    }

    [Theory]
    [InlineData("checkpoint")]
    [InlineData("journal")]
    public void A_root_whose_index_sizes_cannot_fit_its_pages_is_refused_before_anything_is_allocated(string which)
    {
        var device = new FaultInjectingDevice(5);
        using (var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 }))
            for (int i = 0; i < 3; i++) db.Write($"/r/{i}", [(byte)i]);
        var image = device.CrashImage();
        foreach (int offset in new[] { FileHeader.SlotAOffset, FileHeader.SlotBOffset })
        {
            // a root that passes its CRC (written by a bug, or by a hostile file) and claims 1 TiB of records
            if (!RootFields.TryRead(image.AsSpan(offset, RootFields.Size), out var root)) continue;
            if (which == "checkpoint") root.CheckpointBytes = 1UL << 40; else root.JournalBytes = 1UL << 40;
            root.Write(image.AsSpan(offset, RootFields.Size));
        }
        Assert.Equal(Status.Corrupted, Database.OpenOn(new MemoryDevice(image), new DatabaseOptions(), out _));
        Assert.Contains($"{which} of {1UL << 40} bytes", LastError.Message);
        Assert.Contains("does not fit", LastError.Message);
    }

    [Theory]
    [InlineData("checkpoint", -1, "holds more than")]
    [InlineData("checkpoint", +1, "root says")]
    [InlineData("journal", -1, "holds more than")]
    [InlineData("journal", +1, "root says")]
    public void A_root_whose_index_byte_count_differs_from_what_its_pages_hold_is_refused(string which, int delta, string expected)
    {
        var device = new FaultInjectingDevice(6);
        using (var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 }))
        {
            for (int i = 0; i < 3; i++) db.Write($"/c/{i}", [(byte)i]);
            Ok(db.Compact()); // a checkpoint
            for (int i = 0; i < 3; i++) db.Write($"/j/{i}", [(byte)i]); // and a journal after it
        }
        var image = device.CrashImage();
        foreach (int offset in new[] { FileHeader.SlotAOffset, FileHeader.SlotBOffset })
        {
            if (!RootFields.TryRead(image.AsSpan(offset, RootFields.Size), out var root)) continue;
            Assert.True(root.CheckpointBytes > 0 && root.JournalBytes > 0);
            if (which == "checkpoint") root.CheckpointBytes = (ulong)((long)root.CheckpointBytes + delta);
            else root.JournalBytes = (ulong)((long)root.JournalBytes + delta);
            root.Write(image.AsSpan(offset, RootFields.Size));
        }
        Assert.Equal(Status.Corrupted, Database.OpenOn(new MemoryDevice(image), new DatabaseOptions(), out _));
        Assert.Contains($"{which} ", LastError.Message);
        Assert.Contains(expected, LastError.Message);
    }

    [Fact]
    public void Both_root_slots_destroyed_is_Corrupted_at_open()
    {
        var device = new FaultInjectingDevice(3);
        using (var db = OnDevice(device)) db.Write("/x", [1]);
        var image = device.CrashImage();
        image[FileHeader.SlotAOffset + 3] ^= 1;
        image[FileHeader.SlotBOffset + 3] ^= 1;
        Assert.Equal(Status.Corrupted, Database.OpenOn(new MemoryDevice(image), new DatabaseOptions(), out _));
        Assert.Contains("root slot", LastError.Message);
    }

    [Fact]
    public void A_damaged_journal_page_makes_open_fall_back_or_report_Corrupted_never_misread()
    {
        var device = new FaultInjectingDevice(4);
        using (var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 }))
        {
            for (int i = 0; i < 5; i++) db.Write($"/j/{i}", [(byte)i]);
        }
        var image = device.CrashImage();
        Database.OpenOn(new MemoryDevice(image), new DatabaseOptions(), out var probe).ThrowIfError();
        long journalPage;
        using (probe) journalPage = probe!.Engine.Layout().MetaPageIds.Last();
        image[journalPage * 4096 + 100] ^= 0x10;
        var s = Database.OpenOn(new MemoryDevice(image), new DatabaseOptions(), out var re);
        if (s == Status.Ok)
        {
            using (re) Ok(re!.Verify()); // fell back to the older root, whose journal is intact
        }
        else Assert.Equal(Status.Corrupted, s);
    }

    [Fact]
    public void A_checkpoint_whose_tables_disagree_with_its_records_opens_for_reading_and_refuses_writes()
    {
        // The tables' page total is off by one and the page's CRC made right: only decoding the
        // records, which the open leaves to the scan of the pages in use (the first write runs it), shows it.
        var device = new FaultInjectingDevice(6);
        long head;
        using (var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 }))
        {
            for (int i = 0; i < 20; i++) db.Write($"/t/{i:D2}", Data(5000 + i, i));
            Ok(db.Compact()); // everything in one checkpoint, no journal
            head = db.Engine.Layout().MetaPageIds.First();
        }
        var image = device.CrashImage();
        var page = image.AsSpan((int)head * 4096, 4096);
        int pages = PageHeader.Size + MetaChain.Prefix + 9; // the tables' u64 data pages
        Assert.Equal((byte)RecordType.Tables, page[PageHeader.Size + MetaChain.Prefix]);
        BinaryPrimitives.WriteUInt64LittleEndian(page[pages..], BinaryPrimitives.ReadUInt64LittleEndian(page[pages..]) + 1);
        Crc32C.Stamp(page);
        var damaged = new MemoryDevice(image);
        Ok(Database.OpenOn(damaged, new DatabaseOptions(), out var re));
        using (re)
        {
            for (int i = 0; i < 20; i++) Assert.Equal(Data(5000 + i, i), re!.Read($"/t/{i:D2}"));
            Assert.Equal(Status.Corrupted, re!.Write(P("/t/new"), [1], out _));
            Assert.Contains("tables disagree", LastError.Message);
            Assert.Equal(Status.Corrupted, re.Delete(P("/t/00")));
            Assert.Equal(Status.Corrupted, re.Verify());
            Assert.Contains("tables disagree", LastError.Message);
            Assert.Equal(Data(5000, 0), re.Read("/t/00"));
        }
        Assert.Equal(image, damaged.ToArray()); // nothing was written
    }

    [Fact]
    public void Verify_finds_a_damaged_index_page()
    {
        var device = new FaultInjectingDevice(5);
        using var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 });
        db.Write("/i", [1]);
        Ok(db.Flush());
        long meta = db.Engine.Layout().MetaPageIds.First();
        device.FlipBit(meta * 4096 + 50, 1);
        Assert.Equal(Status.Corrupted, db.Verify());
        Assert.Contains($"index page {meta}", LastError.Message);
    }
}

public sealed class CleanCloseTests
{
    [Fact]
    public void After_a_clean_close_damage_in_the_last_commit_is_reported_not_rolled_back()
    {
        var device = new FaultInjectingDevice(9);
        using (var db = OnDevice(device, new DatabaseOptions { PageSize = 4096 }))
        {
            db.Write("/early", [1]);
            db.Write("/last", Data(20_000, 1));
        }
        var image = device.CrashImage();
        long page;
        Database.OpenOn(new MemoryDevice(image), new DatabaseOptions(), out var probe).ThrowIfError();
        using (probe)
        {
            Assert.True(probe!.Engine.Current.TryResolve(P("/last"), out var doc));
            page = doc.Current.Info.PageAt(2);
        }
        image[page * 4096 + 1000] ^= 0x40; // bit rot after the commit succeeded
        Database.OpenOn(new MemoryDevice(image), new DatabaseOptions(), out var re).ThrowIfError();
        using (re)
        {
            Assert.True(re!.Exists("/last"), "the acknowledged commit was rolled back");
            Assert.Equal(Status.Corrupted, re.Read(P("/last"), out _));
            Assert.Equal(Status.Corrupted, re.Verify());
        }
    }
}
