using StreamDb.Documents;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Storage;
using StreamDb.Tests.Support;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

/// <summary>A batch packs the small last pages of its documents into shared pack pages: its
/// documents take about their size on disk, read back as written, survive a reopen, and a pack
/// page goes free only when no kept version has its tail in it.</summary>
public sealed class PackedTailTests
{
    private const int PageSize = 4096;       // first page holds 4,016 bytes, later pages 4,064
    private const long IndexSlack = 16;      // header, journal and checkpoint pages

    // AllTails: most tests pack the last pages of longer documents too (the default packs only
    // documents that fit in a fragment whole)
    private static DatabaseOptions Options(int keep = 0, bool compress = false, TailPacking packing = TailPacking.AllTails) =>
        new() { PageSize = PageSize, VersionsToKeep = keep, PageCachePages = 64, Compress = compress, TailPacking = packing };

    private static void LoadBatch(Database db, int docs, Func<int, byte[]> data)
    {
        Ok(db.BeginBatch(out var batch));
        using (batch)
        {
            for (int i = 0; i < docs; i++) Ok(batch!.Write(P($"/d/{i}"), data(i)));
            Ok(batch!.Commit());
        }
    }

    private static DocVersion Current(Database db, string path)
    {
        Assert.True(db.Engine.Current.TryResolve(P(path), out var doc));
        return doc.Current;
    }

    /// <summary>Byte offset in the file of a packed tail's fragment.</summary>
    private static long FragmentAt(TailRef t) => t.Page * PageSize + PageHeader.Size + t.Offset;

    [Fact]
    public void A_batch_of_documents_a_page_and_a_bit_long_takes_a_page_and_a_bit_each()
    {
        // 6,000 bytes: a full first page and a 1,984-byte tail; two tails share a pack page
        using var db = Memory(Options());
        LoadBatch(db, 100, i => Data(6000, i));
        Ok(db.GetStats(out var st));
        Assert.True(st.TotalPages <= 100 + 50 + IndexSlack, $"{st.TotalPages} pages for 100 documents of 6,000 bytes (unpacked: 200)");
        Assert.Equal(50, PackPages(db));
        var v = Current(db, "/d/7");
        Assert.Equal(1, v.PageCount);
        Assert.Equal(6000 - 4016, v.Tail.Length);
        for (int i = 0; i < 100; i++) Assert.Equal(Data(6000, i), db.Read($"/d/{i}"));
        Ok(db.Verify());
    }

    [Fact]
    public void Packing_small_documents_only_a_batch_packs_small_documents_but_not_the_last_pages_of_larger_ones()
    {
        using var db = Memory(Options(packing: TailPacking.SmallDocuments));
        Ok(db.BeginBatch(out var batch));
        using (batch)
        {
            Ok(batch!.Write(P("/small"), Data(1000, 1)));
            Ok(batch!.Write(P("/large"), Data(6000, 2)));
            Ok(batch!.Commit());
        }
        Assert.True(Current(db, "/small").Tail.IsPresent);
        Assert.Equal(0, Current(db, "/small").PageCount);
        Assert.False(Current(db, "/large").Tail.IsPresent);
        Assert.Equal(2, Current(db, "/large").PageCount);
        Assert.Equal(Data(1000, 1), db.Read("/small"));
        Assert.Equal(Data(6000, 2), db.Read("/large"));
        Ok(db.Verify());
    }

    [Fact]
    public void With_packing_off_a_batch_gives_every_document_pages_of_its_own()
    {
        using var db = Memory(Options(packing: TailPacking.None));
        LoadBatch(db, 10, i => Data(100, i));
        Assert.Equal(0, PackPages(db));
        Assert.Equal(1, Current(db, "/d/3").PageCount);
        Ok(db.Verify());
    }

    [Fact]
    public void Ranges_across_the_end_of_the_chain_and_within_the_tail_read_the_right_bytes()
    {
        using var db = Memory(Options());
        LoadBatch(db, 3, i => Data(9000, i)); // two full pages (4,016 + 4,064) and a 920-byte tail
        var expected = Data(9000, 1);
        foreach (var (offset, length) in new[] { (0, 9000), (8000, 200), (8080, 920), (8500, 100), (4000, 5000), (8999, 1) })
        {
            var buffer = new byte[length];
            Ok(db.ReadInto(P("/d/1"), offset, buffer, out int copied));
            Assert.Equal(length, copied);
            Assert.Equal(expected.AsSpan(offset, length).ToArray(), buffer);
        }
        Ok(db.OpenReader(P("/d/1"), out var reader));
        using (reader)
        {
            var streamed = new List<byte>();
            Status s;
            while ((s = reader!.Next(out var chunk)) == Status.Ok) streamed.AddRange(chunk.ToArray());
            Assert.Equal(Status.Done, s);
            Assert.Equal(expected, streamed.ToArray());
        }
    }

    [Fact]
    public void Small_documents_written_in_a_batch_take_no_page_of_their_own()
    {
        using var db = Memory(new DatabaseOptions { VersionsToKeep = 0 }); // 8 KiB pages, default packing
        LoadBatch(db, 1000, i => Data(i % 201, i)); // 0 to 200 bytes, the empty document too
        Ok(db.GetStats(out var st));
        // 1,000 fragments of 16 + 100 bytes on average: 14 pack pages
        Assert.True(st.TotalPages <= 15 + IndexSlack, $"{st.TotalPages} pages for 1,000 documents of up to 200 bytes");
        Assert.Equal(0, Current(db, "/d/3").PageCount);
        for (int i = 0; i < 1000; i++) Assert.Equal(Data(i % 201, i), db.Read($"/d/{i}"));
        Ok(db.Verify());
    }

    [Fact]
    public void A_pack_page_goes_free_only_when_the_last_version_with_a_tail_in_it_goes()
    {
        using var db = Memory(Options());
        LoadBatch(db, 2, i => Data(100, i));
        Assert.Equal(Current(db, "/d/0").Tail.Page, Current(db, "/d/1").Tail.Page);
        Assert.Equal(1, PackPages(db));
        Ok(db.Delete(P("/d/0")));
        Assert.Equal(1, PackPages(db));
        Assert.Equal(Data(100, 1), db.Read("/d/1"));
        Ok(db.Verify()); // the free-page count must match the pages in use exactly
        Ok(db.Write(P("/d/1"), Data(50, 9), out _)); // written alone: not packed
        Assert.Equal(0, PackPages(db));
        Ok(db.Verify());
    }

    [Fact]
    public void A_tail_overwritten_within_its_batch_frees_its_pack_page_at_commit()
    {
        using var db = Memory(Options());
        Ok(db.BeginBatch(out var batch));
        using (batch)
        {
            Ok(batch!.Write(P("/x"), Data(100, 1)));
            Ok(batch!.Write(P("/x"), Data(5000, 2))); // tail 984 bytes, same pack page
            Ok(batch!.Delete(P("/x")));
            Ok(batch!.Commit());
        }
        Assert.Equal(0, PackPages(db));
        Ok(db.Verify());
    }

    [Fact]
    public void Overwriting_packed_documents_one_at_a_time_reuses_their_pages()
    {
        using var db = Memory(Options());
        LoadBatch(db, 100, i => Data(6000, i));
        long after1 = 0;
        for (int round = 1; round <= 4; round++)
        {
            for (int i = 0; i < 100; i++) Ok(db.Write(P($"/d/{i}"), Data(6000, round * 1000 + i), out _));
            Ok(db.GetStats(out var st));
            if (round == 1) after1 = st.TotalPages;
            // written alone, each version takes two pages; the pack pages went free with their tails
            Assert.True(st.TotalPages <= 200 + 2 * IndexSlack, $"round {round}: {st.TotalPages} pages for 100 two-page documents");
            Assert.True(st.TotalPages <= after1 + IndexSlack, $"round {round}: {st.TotalPages} pages, {after1} after the first round");
        }
        Assert.Equal(0, PackPages(db));
        for (int i = 0; i < 100; i++) Assert.Equal(Data(6000, 4000 + i), db.Read($"/d/{i}"));
        Ok(db.Verify());
    }

    [Fact]
    public void Overwriting_every_other_packed_document_alone_reuses_the_heads_it_frees()
    {
        // Each pack page keeps the tail of an odd document, so an overwrite frees only the
        // one-page head of an even one: a two-page version must take such single pages rather
        // than grow the file by every overwrite.
        using var db = Memory(Options(keep: 1));
        LoadBatch(db, 100, i => Data(6000, i));
        Ok(db.GetStats(out var loaded));
        for (int round = 1; round <= 4; round++)
            for (int i = 0; i < 100; i += 2) Ok(db.Write(P($"/d/{i}"), Data(6000, round * 1000 + i), out _));
        Ok(db.GetStats(out var st));
        // the odd documents' heads and the 50 pack pages their tails keep alive, and the even
        // documents' two kept versions, unpacked: two pages each (taking pages as one run
        // only, the file held 459 pages here)
        long bound = 50 + 50 + 50 * 2 * 2 + IndexSlack;
        Assert.True(st.TotalPages <= bound, $"{st.TotalPages} pages after the overwrites (loaded: {loaded.TotalPages}), at most {bound} expected");
        for (int i = 0; i < 100; i++) Assert.Equal(Data(6000, i % 2 == 0 ? 4000 + i : i), db.Read($"/d/{i}"));
        Ok(db.Verify());
    }

    [Fact]
    public void Kept_old_versions_keep_their_tails()
    {
        using var db = Memory(Options(keep: 2));
        LoadBatch(db, 4, i => Data(300, i));
        LoadBatch(db, 4, i => Data(300, 100 + i));
        LoadBatch(db, 4, i => Data(300, 200 + i));
        for (int back = 0; back <= 2; back++)
        {
            Ok(db.Read(P("/d/2"), out var data, versionsBack: back));
            Assert.Equal(Data(300, (2 - back) * 100 + 2), data);
        }
        Assert.Equal(3, PackPages(db));
        LoadBatch(db, 4, i => Data(300, 300 + i)); // the oldest versions go, and their pack page
        Assert.Equal(3, PackPages(db));
        Ok(db.Verify());
    }

    [Fact]
    public void Packed_documents_read_back_after_a_reopen()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "packed.sdb");
        Ok(Database.Open(file, Options(), out var db));
        using (db) LoadBatch(db!, 200, i => Data(i * 37 % 9000, i));
        Ok(Database.Open(file, Options(), out db));
        using (db)
        {
            for (int i = 0; i < 200; i++) Assert.Equal(Data(i * 37 % 9000, i), db!.Read($"/d/{i}"));
            Ok(db!.Verify()); // the pack-page counts rebuilt at open match the pages in use
            Ok(db.Delete(P("/d/5")));
            Ok(db.Verify());
        }
    }

    [Fact]
    public void A_compressed_database_packs_the_compressed_tails()
    {
        using var db = Memory(Options(compress: true));
        LoadBatch(db, 20, i => CompressedStorageTests.Json(30000 + i * 1000, i));
        Assert.True(PackPages(db) > 0);
        for (int i = 0; i < 20; i++) Assert.Equal(CompressedStorageTests.Json(30000 + i * 1000, i), db.Read($"/d/{i}"));
        Ok(db.Verify());
    }

    [Fact]
    public void A_tail_that_rots_is_reported_as_corrupted_by_reads_and_verify()
    {
        var device = new MemoryDevice();
        using var db = OnDevice(device, Options());
        LoadBatch(db, 2, i => Data(5000, i));
        var tail = Current(db, "/d/1").Tail;
        long at = FragmentAt(tail) + TailFragment.HeaderSize + 10;
        Span<byte> b = stackalloc byte[1];
        device.Read(at, b);
        b[0] ^= 0x20;
        device.Write(at, b);
        Assert.Equal(Status.Corrupted, db.Read(P("/d/1"), out _));
        Assert.Contains("packed tail", LastError.Message);
        Assert.Equal(Data(5000, 0), db.Read("/d/0")); // its neighbour in the page checks alone
        Assert.Equal(Status.Corrupted, db.Verify());
    }

    [Fact]
    public void A_tail_that_belongs_to_another_write_is_refused()
    {
        var device = new MemoryDevice();
        using var db = OnDevice(device, Options());
        LoadBatch(db, 2, i => Data(100, i));
        var t0 = Current(db, "/d/0").Tail;
        var t1 = Current(db, "/d/1").Tail;
        // copy /d/1's fragment over /d/0's: a CRC-valid fragment in the wrong place
        var fragment = new byte[TailFragment.SizeFor(100)];
        device.Read(FragmentAt(t1), fragment);
        device.Write(FragmentAt(t0), fragment);
        Assert.Equal(Status.Corrupted, db.Read(P("/d/0"), out _));
        Assert.Contains("another write", LastError.Message);
    }

    [Fact]
    public void A_pack_page_that_cannot_be_written_fails_the_batch_and_changes_nothing()
    {
        var device = new FaultInjectingDevice(11);
        using var db = OnDevice(device, Options());
        Ok(db.Write(P("/kept"), Data(100, 1), out _));
        Ok(db.BeginBatch(out var batch));
        using (batch)
        {
            Ok(batch!.Write(P("/a"), Data(100, 2)));   // held whole in fragments: nothing written yet
            Ok(batch!.Write(P("/b"), Data(200, 3)));
            device.FailWritesAfter = device.Writes;     // the pack page is the commit's first write
            Assert.Equal(Status.IOError, batch!.Commit());
            Assert.Contains("pack page", LastError.Message);
        }
        device.FailWritesAfter = -1;
        Assert.Equal(Status.NotFound, db.Read(P("/a"), out _));
        Assert.Equal(Data(100, 1), db.Read("/kept"));
        Assert.Equal(0, PackPages(db));
        Ok(db.Write(P("/after"), Data(300, 4), out _)); // the database stays usable
        Ok(db.Verify());                                // and the pack page went back
    }

    [Fact]
    public void An_open_after_a_crash_takes_the_older_root_when_a_recent_batchs_tail_is_damaged()
    {
        var device = new FaultInjectingDevice(12);
        TailRef tail;
        using (var db = OnDevice(device, Options()))
        {
            LoadBatch(db, 4, i => Data(100, i));         // the older root holds these
            Ok(db.BeginBatch(out var batch));
            using (batch)
            {
                Ok(batch!.Write(P("/recent"), Data(500, 9)));
                Ok(batch!.Commit());
            }
            tail = Current(db, "/recent").Tail;
            device.Crash();                              // no clean close: the newest root vouches only up to the batch before
        }
        var image = device.CrashImage();
        image[FragmentAt(tail) + TailFragment.HeaderSize + 7] ^= 0x04;
        Ok(Database.OpenOn(new MemoryDevice(image), Options(), out var re));
        using (re)
        {
            Assert.Equal(Status.NotFound, re!.Read(P("/recent"), out _));
            Assert.Equal(Data(100, 2), re.Read("/d/2"));
            Ok(re.Verify());
        }
    }
}
