using System.Buffers.Binary;
using StreamDb.Pages;
using StreamDb.Storage;
using StreamDb.Tests.Support;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

/// <summary>
/// When syncs are batched, a document's last page, and a commit's journal page, go to the
/// device only as far as the 4 KiB block after the bytes they hold: their CRC covers no more,
/// and nothing reads further. What the page held before stays in the rest of it, and must
/// mislead nothing.
/// </summary>
public sealed class ShortLastPageWriteTests
{
    // Short writes are made only when syncs are batched: NO_SYNC here, so that every commit
    // still writes its journal page (with a flush interval the flush writes them).
    private static DatabaseOptions Batched => new() { NoSync = true };

    [Fact]
    public void When_each_commit_syncs_its_pages_are_written_whole_so_that_the_sync_covers_one_contiguous_region()
    {
        using var dir = new TempDir();
        var device = new CountingDevice(FileDevice.Open(dir.File(), readOnly: false, create: true, syncEnabled: false));
        using var db = OnDevice(device);
        db.Write("/warm", Data(100, 0));
        device.ResetCounts();
        db.Write("/doc", Data(10_000, 1));
        Assert.Contains(device.Writes, w => w.Length == 16_384); // two whole pages
        Assert.All(device.Writes.Where(w => w.Length > 512), w => Assert.Equal(0, w.Length % 8192));
    }

    // 8 KiB pages: a page header (32 bytes), and on a first page a document header (48)
    [Theory]
    [InlineData(10_000, 12_288)] // 8,112 bytes on the first page, 1,888 on the second: 8 KiB + 4 KiB
    [InlineData(1_000, 4_096)]   // one page, 1,080 bytes used
    [InlineData(4_016, 4_096)]   // exactly one block used
    [InlineData(4_017, 8_192)]   // one byte into the second block
    [InlineData(8_112, 8_192)]   // a full page: written whole
    [InlineData(8_113, 12_288)]  // 33 bytes on the second page
    public void A_write_sends_a_documents_pages_to_the_device_only_up_to_the_block_after_its_last_byte(int size, int expected)
    {
        // a file grows ahead of its writes: a write inside it may stop short of its last page's end
        using var dir = new TempDir();
        var device = new CountingDevice(FileDevice.Open(dir.File(), readOnly: false, create: true, syncEnabled: false));
        using var db = OnDevice(device, Batched);
        db.Write("/warm", Data(100, 0)); // the database's own first writes (file header, first index pages)
        device.ResetCounts();
        db.Write("/doc", Data(size, 1));
        // the document's pages are written before the commit, in one write that starts at a page
        var data = device.Writes.Where(w => w.Offset % 8192 == 0 && w.Length > 128).ToList();
        Assert.Contains((long)expected, data.Select(w => (long)w.Length));
        Assert.DoesNotContain(data, w => w.Length % 8192 != 0 && w.Length % 4096 != 0);
        Assert.Equal(Data(size, 1), db.Read("/doc"));
    }

    [Fact]
    public void A_commits_journal_page_goes_to_the_device_only_as_far_as_the_block_after_its_records()
    {
        using var dir = new TempDir();
        var device = new CountingDevice(FileDevice.Open(dir.File(), readOnly: false, create: true, syncEnabled: false));
        using var db = OnDevice(device, Batched);
        db.Write("/warm", Data(100, 0));
        var page = new byte[8192];
        int shortWrites = 0;
        for (int i = 0; i < 60; i++)
        {
            device.ResetCounts();
            db.Write($"/doc/{i}", Data(1000, i));
            int journalWrites = 0;
            foreach (var (offset, length) in device.Writes)
            {
                // the journal page ends the write it is in (alone, or after the document's pages)
                long last = offset + (length - 1) / 8192 * 8192;
                device.Peek(last, page);
                var h = PageHeader.Read(page);
                if (h.Kind != PageKind.Journal) continue;
                journalWrites++;
                Assert.True((h.Flags & PageFlags.ShortCrc) != 0);
                int expected = (PageHeader.Size + 16 + h.DataLength + 4095) / 4096 * 4096;
                int written = (int)(offset + length - last);
                // whole when the write reached past the file's end (the file grows in steps)
                Assert.True(written == expected || written == 8192, $"journal page written {written} bytes, expected {expected}");
                if (written == expected) shortWrites++;
            }
            Assert.Equal(1, journalWrites);
        }
        Assert.True(shortWrites >= 50, $"{shortWrites} of 60 journal pages written only as far as their records");
    }

    [Fact]
    public void A_version_1_file_keeps_getting_whole_crc_journal_pages_which_the_library_it_came_from_can_read()
    {
        using var dir = new TempDir();
        var file = dir.File();
        var header = new byte[32];
        using (var device = FileDevice.Open(file, readOnly: false, create: true, syncEnabled: false))
        {
            using (var db = OnDevice(device)) db.Write("/a", Data(100, 1));
        }
        using (var raw = File.Open(file, FileMode.Open))
        {
            raw.ReadExactly(header);
            Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8))); // what new files get
            // as the library before short-CRC journal pages created it
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), Util.Crc32C.Compute(header.AsSpan(0, 28)));
            raw.Position = 0;
            raw.Write(header);
        }
        var counting = new CountingDevice(FileDevice.Open(file, readOnly: false, create: false, syncEnabled: false));
        var page = new byte[8192];
        using (var db = OnDevice(counting, Batched))
        {
            for (int i = 0; i < 20; i++)
            {
                counting.ResetCounts();
                db.Write($"/v1/{i}", Data(500, i));
                int journalPages = 0;
                foreach (var (offset, length) in counting.Writes)
                {
                    long last = offset + (length - 1) / 8192 * 8192;
                    counting.Peek(last, page);
                    if (PageHeader.Read(page).Kind != PageKind.Journal) continue;
                    journalPages++;
                    Assert.Equal(PageFlags.None, PageHeader.Read(page).Flags & PageFlags.ShortCrc);
                    Assert.Equal(8192, offset + length - last);
                }
                Assert.Equal(1, journalPages);
            }
        }
        using (var raw = File.OpenRead(file))
        {
            raw.ReadExactly(header);
            Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)));
        }
        Database.Open(file, new DatabaseOptions(), out var again).ThrowIfError();
        using (again)
            for (int i = 0; i < 20; i++) Assert.Equal(Data(500, i), again!.Read($"/v1/{i}"));
    }

    [Fact]
    public void Checkpoint_pages_are_written_whole()
    {
        var device = new CountingDevice();
        using var db = OnDevice(device);
        db.Write("/doc", Data(100, 1));
        device.ResetCounts();
        Ok(db.Compact()); // writes a checkpoint
        Assert.NotEmpty(device.Writes);
        Assert.All(device.Writes.Where(w => w.Length > 512), w => Assert.Equal(0, w.Length % 8192));
    }

    [Fact]
    public void Bytes_left_in_reused_journal_pages_tails_do_not_stop_an_open_from_replaying_the_journal()
    {
        var device = new FaultInjectingDevice(seed: 1);
        var o = new DatabaseOptions { VersionsToKeep = 0, NoSync = true };
        using (var db = OnDevice(device, o))
        {
            for (int i = 0; i < 40; i++) db.Write($"/old/{i}", Data(64 * 1024, 1000 + i));
            for (int i = 0; i < 40; i++) Ok(db.Delete(P($"/old/{i}")));
            // each commit rewrites the journal's last page into a free page, often one the
            // large documents left full of random bytes
            for (int i = 0; i < 300; i++) db.Write($"/new/{i}", Data(i % 50 * 40, i));
            // the durable state, as a crash would leave it: no close, no checkpoint
            var image = device.CrashImage();
            Assert.True(StaleTails(new CountingDevice(new MemoryDevice(image)), PageKind.Journal) > 0,
                "the test needs journal pages whose unwritten tails hold older bytes");
            using var reopened = OnDevice(new MemoryDevice(image), o);
            for (int i = 0; i < 300; i++) Assert.Equal(Data(i % 50 * 40, i), reopened.Read($"/new/{i}"));
            Ok(reopened.Verify());
        }
    }

    [Theory]
    [InlineData(0)]   // every read from the device
    [InlineData(256)] // small reads through the page cache
    public void Bytes_left_in_a_reused_pages_unwritten_tail_mislead_no_read_verify_or_reopen(int cachePages)
    {
        var device = new CountingDevice();
        var o = new DatabaseOptions { VersionsToKeep = 0, PageCachePages = cachePages, NoSync = true };
        var sizes = new Dictionary<string, int>();
        using (var db = OnDevice(device, o))
        {
            // pages full of random bytes, then freed: the documents after them reuse those pages
            for (int i = 0; i < 40; i++) db.Write($"/old/{i}", Data(64 * 1024, 1000 + i));
            for (int i = 0; i < 40; i++) Ok(db.Delete(P($"/old/{i}")));
            for (int i = 0; i < 8; i++) db.Write($"/tick/{i}", Data(10, i)); // sync points: the freed pages become reusable
            var rnd = new Random(7);
            for (int i = 0; i < 120; i++)
            {
                int size = rnd.Next(0, 20_000);
                sizes[$"/new/{i}"] = size;
                db.Write($"/new/{i}", Data(size, i));
            }
        }
        Assert.True(StaleTails(device, PageKind.Data) > 20, "the test needs pages whose unwritten tails hold older bytes");
        for (int round = 0; round < 2; round++)
        {
            using var db = OnDevice(device, o);
            foreach (var (path, size) in sizes)
            {
                var expected = Data(size, int.Parse(path[5..]));
                Assert.Equal(expected, db.Read(path));
                // the last bytes alone (a range read that ends in the last page)
                int from = Math.Max(0, size - 300);
                var tail = new byte[400];
                Ok(db.ReadInto(P(path), from, tail, out int copied));
                Assert.Equal(expected.AsSpan(from).ToArray(), tail.AsSpan(0, copied).ToArray());
                // streamed
                Ok(db.OpenReader(P(path), out var reader));
                var streamed = new List<byte>();
                using (reader) while (reader!.Next(out var chunk) == Status.Ok) streamed.AddRange(chunk.ToArray());
                Assert.Equal(expected, streamed.ToArray());
            }
            Ok(db.Verify());
            if (round == 0) Ok(db.Compact());
        }
    }

    [Fact]
    public void A_write_past_the_devices_end_is_written_whole_so_that_the_file_stays_whole_pages()
    {
        var device = new CountingDevice();
        var io = new PageIO(device, 8192, 0, shortWrites: true);
        var page = new byte[8192];
        new PageHeader { Kind = PageKind.Data, DataLength = 100 }.Write(page);
        PageCrc.StampData(page); // short CRC over 132 bytes
        io.WritePages(0, page);
        Assert.Equal(8192, device.Length);
        io.WritePages(1, page);
        Assert.Equal(16384, device.Length);
        io.WritePages(0, page); // inside the device now
        Assert.Equal([(0L, 8192), (8192L, 8192), (0L, 4096)], device.Writes);
        var back = new byte[8192];
        io.ReadPages(0, back);
        Assert.True(PageCrc.Check(back));
    }

    // Short-CRC pages of a kind whose bytes after the block their covered bytes end in are not all zero.
    private static int StaleTails(CountingDevice device, PageKind kind)
    {
        const int PageSize = 8192;
        var page = new byte[PageSize];
        int stale = 0;
        for (long p = 1; p < device.Length / PageSize; p++)
        {
            device.Peek(p * PageSize, page);
            var h = PageHeader.Read(page);
            if (h.Kind != kind || (h.Flags & PageFlags.ShortCrc) == 0) continue;
            int covered = PageCrc.Covered(page, PageSize);
            int written = (covered + 4095) / 4096 * 4096;
            if (covered >= 0 && written < PageSize && page.AsSpan(written).ContainsAnyExcept((byte)0)) stale++;
        }
        return stale;
    }
}
