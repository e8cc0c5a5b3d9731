using StreamDb.Pages;
using StreamDb.Storage;
using StreamDb.Tests.Support;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

/// <summary>
/// A document's last page goes to the device only as far as the 4 KiB block after the bytes
/// it holds: its CRC covers no more, and nothing reads further. What the page held before stays
/// in the rest of it, and must mislead nothing.
/// </summary>
public sealed class ShortLastPageWriteTests
{
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
        using var db = OnDevice(device);
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
    public void Journal_and_checkpoint_pages_are_written_whole()
    {
        var device = new CountingDevice();
        using var db = OnDevice(device);
        db.Write("/doc", Data(100, 1));
        device.ResetCounts();
        Ok(db.Compact()); // writes a checkpoint
        Assert.NotEmpty(device.Writes);
        Assert.All(device.Writes.Where(w => w.Length > 512), w => Assert.Equal(0, w.Length % 8192));
    }

    [Theory]
    [InlineData(0)]   // every read from the device
    [InlineData(256)] // small reads through the page cache
    public void Bytes_left_in_a_reused_pages_unwritten_tail_mislead_no_read_verify_or_reopen(int cachePages)
    {
        var device = new CountingDevice();
        var o = new DatabaseOptions { VersionsToKeep = 0, PageCachePages = cachePages };
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
        Assert.True(StaleTails(device) > 20, "the test needs pages whose unwritten tails hold older bytes");
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
        var io = new PageIO(device, 8192, 0);
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

    // Short-CRC data pages whose bytes after the block their covered bytes end in are not all zero.
    private static int StaleTails(CountingDevice device)
    {
        const int PageSize = 8192;
        var page = new byte[PageSize];
        int stale = 0;
        for (long p = 1; p < device.Length / PageSize; p++)
        {
            device.Peek(p * PageSize, page);
            var h = PageHeader.Read(page);
            if (h.Kind != PageKind.Data || (h.Flags & PageFlags.ShortCrc) == 0) continue;
            int covered = PageCrc.Covered(page, PageSize);
            int written = (covered + 4095) / 4096 * 4096;
            if (covered >= 0 && written < PageSize && page.AsSpan(written).ContainsAnyExcept((byte)0)) stale++;
        }
        return stale;
    }
}
