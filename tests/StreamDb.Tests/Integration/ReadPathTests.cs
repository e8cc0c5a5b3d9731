using StreamDb.Storage;
using StreamDb.Tests.Support;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

/// <summary>
/// The read paths: reads of a page or more go from the device straight into the caller's buffer
/// (one vectored read per run of consecutive pages), smaller reads go through the page cache,
/// and a streaming reader reads ahead in growing windows. All of them return exactly the
/// stored bytes, whatever the offsets.
/// </summary>
public sealed class ReadPathTests
{
    [Theory]
    [InlineData(false, false, 2048)]
    [InlineData(false, true, 2048)]
    [InlineData(true, false, 2048)]
    [InlineData(true, false, 0)]
    [InlineData(false, false, 0)]
    public void Ranged_reads_at_random_offsets_and_lengths_return_exactly_the_stored_bytes(bool compress, bool quick, int cachePages)
    {
        int seed = Environment.TickCount;
        Console.WriteLine($"seed {seed}");
        var random = new Random(seed);
        using var db = Memory(new DatabaseOptions { PageSize = 4096, Compress = compress, PageCachePages = cachePages });
        var docs = new Dictionary<string, byte[]>();
        foreach (int size in new[] { 1, 4015, 4016, 4017, 4064 * 3 + 7, 100_000, 300_001 })
        {
            var data = compress ? Compressible(size, size) : Data(size, size);
            db.Write($"/d{size}", data);
            docs[$"/d{size}"] = data;
        }
        for (int i = 0; i < 400; i++)
        {
            var (path, data) = docs.ElementAt(random.Next(docs.Count));
            int offset = random.Next(data.Length);
            int length = random.Next(4) switch
            {
                0 => random.Next(1, 64),
                1 => random.Next(1, 5000),
                2 => random.Next(4000, 20_000),
                _ => data.Length - offset,
            };
            var buffer = new byte[length];
            Ok(db.ReadInto(P(path), offset, buffer, out int copied, quick));
            int expected = Math.Min(length, data.Length - offset);
            Assert.True(expected == copied, $"seed {seed}: {path} at {offset}: copied {copied}, expected {expected}");
            Assert.True(data.AsSpan(offset, copied).SequenceEqual(buffer.AsSpan(0, copied)), $"seed {seed}: {path} at {offset} length {length}: bytes differ");
        }
        foreach (var (path, data) in docs) Assert.Equal(data, db.Read(path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Streaming_returns_chunks_of_at_most_ChunkSize_that_concatenate_to_the_document_and_seek_anywhere(bool compress)
    {
        using var db = Memory(new DatabaseOptions { Compress = compress });
        var data = compress ? Compressible(3_000_001, 5) : Data(3_000_001, 5);
        db.Write("/big", data);
        Ok(db.OpenReader(P("/big"), out var r));
        using (r)
        {
            var all = new List<byte>();
            while (r!.Next(out var chunk) == Status.Ok)
            {
                Assert.InRange(chunk.Length, 1, DocumentReader.ChunkSize);
                all.AddRange(chunk.ToArray());
            }
            Assert.Equal(data, all.ToArray());
            foreach (long at in new long[] { 0, 1, 65_536, 1_000_000, 2_999_999, 1_500_000, 100 })
            {
                Ok(r.Seek(at));
                Ok(r.Next(out var chunk));
                Assert.True(data.AsSpan((int)at, chunk.Length).SequenceEqual(chunk), $"chunk at {at}");
            }
            Ok(r.Seek(data.Length));
            Assert.Equal(Status.Done, r.Next(out _));
        }
    }

    [Fact]
    public void Readers_open_at_the_same_time_never_share_a_window_even_after_others_were_closed()
    {
        using var db = Memory();
        var a = Data(700_000, 1);
        var b = Data(700_000, 2);
        db.Write("/a", a);
        db.Write("/b", b);
        // a closed reader's window goes back to the pool: the next two must get distinct ones
        Ok(db.OpenReader(P("/a"), out var first));
        Ok(first!.Next(out _));
        first.Dispose();
        Ok(db.OpenReader(P("/a"), out var ra));
        Ok(db.OpenReader(P("/b"), out var rb));
        using (ra)
        using (rb)
        {
            var gotA = new List<byte>();
            var gotB = new List<byte>();
            while (true)
            {
                var sa = ra!.Next(out var ca);
                var sb = rb!.Next(out var cb);
                // a's chunk is still a's bytes after b's read filled b's window
                if (sa == Status.Ok)
                {
                    Assert.True(a.AsSpan(gotA.Count, ca.Length).SequenceEqual(ca), $"a's chunk at {gotA.Count} overwritten by b's read");
                    gotA.AddRange(ca.ToArray());
                }
                if (sb == Status.Ok) gotB.AddRange(cb.ToArray());
                if (sa == Status.Done && sb == Status.Done) break;
            }
            Assert.Equal(a, gotA.ToArray());
            Assert.Equal(b, gotB.ToArray());
        }
    }

    [Fact]
    public void Streaming_a_large_document_reads_ahead_in_a_few_large_reads_not_page_by_page()
    {
        var device = new CountingDevice();
        const int Size = 8 << 20;
        using (var w = OnDevice(device)) w.Write("/big", Data(Size, 1));
        using var db = OnDevice(device);
        device.ResetCounts();
        Ok(db.OpenReader(P("/big"), out var r));
        int chunks = 0;
        using (r) while (r!.Next(out _) == Status.Ok) chunks++;
        // windows of 64 KiB, 128 KiB, then 256 KiB: about 35 requests for 8 MiB, against 128 chunks
        Assert.True(device.ReadRequests <= 40, $"{device.ReadRequests} device reads for {chunks} chunks");
        Assert.True(device.BytesRead <= Size * 1.02 + 65_536, $"{device.BytesRead} bytes read for a document of {Size}");
    }

    [Fact]
    public void A_whole_read_of_a_document_in_consecutive_pages_is_one_device_read()
    {
        var device = new CountingDevice();
        using (var w = OnDevice(device)) w.Write("/doc", Data(100_000, 1));
        using var db = OnDevice(device, new DatabaseOptions { PageCachePages = 0 });
        device.ResetCounts();
        Assert.Equal(Data(100_000, 1), db.Read("/doc"));
        Assert.Equal(1, device.ReadRequests);
    }

    [Theory]
    [InlineData(10_000, 0)]    // whole read straight into the caller's buffer
    [InlineData(1_000, 0)]     // smaller than a page: through a page buffer
    [InlineData(10_000, 64)]   // through the cache
    public void A_read_takes_from_the_device_only_the_bytes_the_pages_hold_not_the_last_pages_zero_tail(int size, int cache)
    {
        var device = new CountingDevice();
        using (var w = OnDevice(device)) w.Write("/doc", Data(size, 1));
        using var db = OnDevice(device, new DatabaseOptions { PageCachePages = cache });
        device.ResetCounts();
        Assert.Equal(Data(size, 1), db.Read("/doc"));
        int pages = size <= 8192 - 80 ? 1 : 2;
        Assert.Equal(size + 48 + 32 * pages, device.BytesRead);
    }

    [Fact]
    public void Small_reads_go_through_the_page_cache_and_hit_it_the_second_time()
    {
        using var dir = new TempDir();
        using (var w = Database.Open(dir.File())) w.Write("/big", Data(1 << 20, 1));
        using var db = Database.Open(dir.File());
        var buffer = new byte[100];
        Ok(db.ReadInto(P("/big"), 500_000, buffer, out _));
        Ok(db.GetStats(out var first));
        Ok(db.ReadInto(P("/big"), 500_100, buffer, out _));
        Ok(db.GetStats(out var second));
        Assert.True(first.CacheMisses > 0);
        Assert.Equal(first.CacheHits + 1, second.CacheHits);
        Assert.Equal(first.CacheMisses, second.CacheMisses);
        Assert.Equal(Data(1 << 20, 1).AsSpan(500_100, 100).ToArray(), buffer);
    }

    private static byte[] Compressible(int length, int seed)
    {
        var random = new Random(seed);
        var b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte)"abcdefgh {}:,\"0123"[random.Next(i % 3 == 0 ? 18 : 4)];
        return b;
    }

    [Fact]
    public void An_open_reads_a_checkpoint_scattered_over_far_apart_free_pages_without_reading_far_past_each_page()
    {
        const int PageSize = 4096;
        var device = new CountingDevice();
        var o = new DatabaseOptions { PageSize = PageSize, VersionsToKeep = 0 };
        using (var db = OnDevice(device, o))
        {
            // an index of some 40 pages, then one-page documents between documents of 70 pages,
            // the small ones deleted: single free pages further apart than a read run
            Ok(db.BeginBatch(out var batch));
            using (batch)
            {
                for (int i = 0; i < 3000; i++) Ok(batch!.Write(P($"/many/{i:D4}"), Data(10, i)));
                Ok(batch!.Commit());
            }
            for (int i = 0; i < 50; i++)
            {
                Ok(db.Write(P($"/h/{i:D3}"), Data(3000, i), out _));
                Ok(db.Write(P($"/big/{i:D3}"), Data(70 * (PageSize - 64), i), out _));
            }
            for (int i = 0; i < 50; i++) Ok(db.Delete(P($"/h/{i:D3}")));
        }
        long used;
        using (var db = OnDevice(device, o))
        {
            Ok(db.GetStats(out var st));
            used = st.TotalPages;
        }
        // with no room to grow, a new checkpoint can only take the holes
        using (var db = OnDevice(device, new DatabaseOptions { PageSize = PageSize, VersionsToKeep = 0, MaxPages = used }))
        {
            // the longest free run (where the batch's checkpoint was) goes to a large document
            long longest = db.Engine.FreeExtents().Max(e => e.Count);
            Ok(db.Write(P("/large"), Data((int)(longest - 2) * (PageSize - 64), 7), out _));
            Ok(db.Compact());
        }
        device.ResetCounts();
        using var re = OnDevice(device, o);
        var pages = re.Engine.Index.CheckpointPageIds;
        int jumps = 0;
        for (int k = 1; k < pages.Count; k++) if (pages[k] != pages[k - 1] + 1) jumps++;
        Assert.True(jumps >= 4, $"the checkpoint's {pages.Count} pages are not scattered ({jumps} jumps): this test shows nothing");
        long metaBytes = (pages.Count + re.Engine.Index.JournalPageIds.Count) * (long)PageSize;
        // each page at most doubles what it reads; the header is one more page
        Assert.True(device.BytesRead <= 2 * metaBytes + PageSize, $"read {device.BytesRead} bytes for {metaBytes} bytes of index pages");
        Assert.Equal(Data(10, 1234), re.Read("/many/1234"));
        Ok(re.Verify());
    }

    [Fact]
    public void A_whole_read_into_the_callers_buffer_allocates_nothing_whether_the_document_is_in_the_checkpoint_or_written_since()
    {
        // A read that allocated a version object (120 bytes) grew the heap by 24 MB over 200,000
        // reads on a machine whose collector waits that long before its first collection.
        var device = new MemoryDevice();
        using (var first = OnDevice(device))
        {
            Ok(first.BeginBatch(out var batch));
            for (int i = 0; i < 300; i++) Ok(batch!.Write(P($"/c/{i:D3}"), Data(9000 + i, i)));
            Ok(batch!.Commit());
            Ok(first.Compact());
        }
        using var db = OnDevice(device); // those 300 are read from the checkpoint
        var state = db.Engine.Pin();
        Assert.Equal(300, state.Docs.Checkpoint?.DocCount);
        db.Engine.Unpin(state);
        for (int i = 0; i < 20; i++) Ok(db.Write(P($"/j/{i:D2}"), Data(5000 + i, i), out _)); // these after it
        var paths = Enumerable.Range(0, 300).Select(i => P($"/c/{i:D3}")).Concat(Enumerable.Range(0, 20).Select(i => P($"/j/{i:D2}"))).ToArray();
        var buffer = new byte[16_000];
        void ReadAll()
        {
            foreach (var p in paths)
            {
                Ok(db.ReadInto(p, 0, buffer, out int n));
                Assert.True(n >= 5000);
            }
        }
        // warm: caches, pools, and the checkpoint's fences (built after 512 lookups)
        for (int i = 0; i < 3; i++) ReadAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        ReadAll();
        ReadAll();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < paths.Length, $"{allocated} bytes allocated by {2 * paths.Length} reads");
        Assert.Equal(Data(9123, 123), db.Read("/c/123"));
        Assert.Equal(Data(5007, 7), db.Read("/j/07"));
    }

    [Theory]
    [InlineData(3000)]
    [InlineData(20_000)]
    public void A_read_into_the_callers_buffer_of_a_document_the_checkpoint_holds_several_versions_of_returns_the_newest(int size)
    {
        var device = new MemoryDevice();
        using (var first = OnDevice(device))
        {
            for (int v = 0; v < 3; v++) Ok(first.Write(P("/doc"), Data(size + v, v), out _));
            Ok(first.Compact());
        }
        using var db = OnDevice(device);
        var buffer = new byte[size + 100];
        Ok(db.ReadInto(P("/doc"), 0, buffer, out int n));
        Assert.Equal(Data(size + 2, 2), buffer[..n]);
        Ok(db.ReadInto(P("/doc"), 100, buffer, out n));
        Assert.Equal(Data(size + 2, 2)[100..], buffer[..n]);
        Ok(db.Read(P("/doc"), out var older, versionsBack: 1));
        Assert.Equal(Data(size + 1, 1), older);
    }
}
