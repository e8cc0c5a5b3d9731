using StreamDb.Documents;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Storage;
using StreamDb.Tests.Support;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

/// <summary>With <see cref="TailPacking.NextToChain"/> a batch packs the partly filled last page
/// of a document only into a pack page right before or right after the document's own pages:
/// the batch takes about a page and a half per document a page and a bit long, and a whole
/// read of each still reads chain and tail in one device request.</summary>
public sealed class TailNextToChainTests
{
    private const int PageSize = 4096;       // first page holds 4,016 bytes, later pages 4,064
    private const int First = 4016;
    private const int Later = 4064;
    private const long IndexSlack = 16;      // header, journal and checkpoint pages

    private static DatabaseOptions Options(int cache = 64, bool compress = false, int keep = 0) =>
        new() { PageSize = PageSize, VersionsToKeep = keep, PageCachePages = cache, Compress = compress, TailPacking = TailPacking.NextToChain };

    /// <summary>A seeded mix: documents of one page and a tail, of three pages and a tail, small
    /// ones held whole in a fragment, and some whose last page is too full to pack.</summary>
    private static byte[][] Mix(int count, int seed)
    {
        var rnd = new Random(seed);
        var docs = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            int size = rnd.Next(4) switch
            {
                0 => First + rnd.Next(1, 2017),
                1 => First + 2 * Later + rnd.Next(1, 2017),
                2 => rnd.Next(0, 1500),
                _ => First + rnd.Next(2500, Later),
            };
            docs[i] = Data(size, seed * 1000 + i);
        }
        return docs;
    }

    private static void LoadBatch(Database db, byte[][] docs)
    {
        Ok(db.BeginBatch(out var batch));
        using (batch)
        {
            for (int i = 0; i < docs.Length; i++) Ok(batch!.Write(P($"/d/{i}"), docs[i]));
            Ok(batch!.Commit());
        }
    }

    private static DocVersion Current(Database db, string path)
    {
        Assert.True(db.Engine.Current.TryResolve(P(path), out var doc));
        return doc.Current;
    }

    private static bool TailBefore(DocVersion v) => v.Tail.Page == v.Info.PageAt(0) - 1;
    private static bool TailAfter(DocVersion v) => v.Tail.Page == v.Info.PageAt(v.PageCount - 1) + 1;

    private static long FragmentAt(TailRef t) => t.Page * PageSize + PageHeader.Size + t.Offset;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_batch_puts_every_chain_tail_in_a_pack_page_right_before_or_right_after_the_documents_pages(int seed)
    {
        var docs = Mix(150, seed);
        using var db = Memory(Options());
        LoadBatch(db, docs);
        int chainTails = 0, before = 0, after = 0;
        for (int i = 0; i < docs.Length; i++)
        {
            var v = Current(db, $"/d/{i}");
            if (!v.Tail.IsPresent || v.PageCount == 0) continue;
            chainTails++;
            Assert.True(v.Extents.Length == 1, $"seed {seed}: document {i}'s chain is not one run");
            Assert.True(TailBefore(v) || TailAfter(v), $"seed {seed}: document {i}'s tail in page {v.Tail.Page}, its pages {v.Info.PageAt(0)}..{v.Info.PageAt(v.PageCount - 1)}");
            if (TailBefore(v)) before++; else after++;
        }
        // a pack page is shared by the document before it and the one after it
        Assert.True(before > chainTails / 4 && after > chainTails / 4, $"seed {seed}: {before} tails before their chains, {after} after, of {chainTails}");
        for (int i = 0; i < docs.Length; i++) Assert.Equal(docs[i], db.Read($"/d/{i}"));
        Ok(db.Verify());
    }

    [Fact]
    public void By_default_a_batch_packs_the_last_pages_of_its_documents_next_to_their_chains()
    {
        Assert.Equal(TailPacking.NextToChain, new DatabaseOptions().TailPacking);
        using var db = Memory();
        Ok(db.BeginBatch(out var batch));
        using (batch)
        {
            for (int i = 0; i < 4; i++) Ok(batch!.Write(P($"/d/{i}"), Data(10_000, i)));
            Ok(batch!.Commit());
        }
        for (int i = 0; i < 4; i++)
        {
            var v = Current(db, $"/d/{i}");
            Assert.True(v.Tail.IsPresent && v.PageCount == 1, $"document {i}: {v.PageCount} pages, tail {v.Tail}");
            Assert.True(TailBefore(v) || TailAfter(v), $"document {i}");
            Assert.Equal(Data(10_000, i), db.Read($"/d/{i}"));
        }
        Assert.Equal(2, PackPages(db));
    }

    [Fact]
    public void A_batch_of_documents_a_page_and_a_bit_long_takes_a_page_and_a_half_each()
    {
        // 6,000 bytes: a full first page and a 1,984-byte tail; unpacked 200 pages, all tails packed 150
        using var db = Memory(Options());
        LoadBatch(db, Enumerable.Range(0, 100).Select(i => Data(6000, i)).ToArray());
        Ok(db.GetStats(out var st));
        Assert.True(st.TotalPages <= 100 + 50 + IndexSlack, $"{st.TotalPages} pages for 100 documents of 6,000 bytes");
        Assert.Equal(50, PackPages(db));
        Ok(db.Verify());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_whole_read_of_a_document_with_its_tail_next_to_its_chain_is_one_device_request(bool quick)
    {
        var device = new CountingDevice();
        var docs = Mix(120, 7);
        using (var w = OnDevice(device, Options())) LoadBatch(w, docs);
        using var db = OnDevice(device, Options(cache: 0));
        for (int i = 0; i < docs.Length; i++)
        {
            device.ResetCounts();
            Ok(db.Read(P($"/d/{i}"), out var got, quick: quick));
            Assert.Equal(docs[i], got);
            Assert.True(device.ReadRequests == 1, $"document {i} ({docs[i].Length} bytes): {device.ReadRequests} device requests");
        }
    }

    [Fact]
    public void Every_range_of_a_document_with_its_tail_before_or_after_its_chain_reads_back_as_written()
    {
        var docs = Mix(40, 11);
        using var db = Memory(Options(cache: 0));
        LoadBatch(db, docs);
        int checkedBefore = 0, checkedAfter = 0;
        for (int i = 0; i < docs.Length; i++)
        {
            var v = Current(db, $"/d/{i}");
            if (!v.Tail.IsPresent || v.PageCount == 0) continue;
            if (TailBefore(v)) checkedBefore++; else checkedAfter++;
            var data = docs[i];
            int chain = (int)v.Info.ChainLength;
            int[] points = [0, 1, First - 1, First, First + 1, chain - 1, chain, chain + 1, data.Length - 1, data.Length];
            foreach (int from in points.Where(p => p >= 0 && p <= data.Length).Distinct())
            foreach (int to in points.Where(p => p >= from && p <= data.Length).Distinct())
            foreach (bool quick in new[] { false, true })
            {
                var buffer = new byte[to - from];
                Ok(db.ReadInto(P($"/d/{i}"), from, buffer, out int copied, quick));
                Assert.Equal(to - from, copied);
                Assert.True(data.AsSpan(from, to - from).SequenceEqual(buffer), $"document {i}, bytes {from}..{to}, quick {quick}");
            }
        }
        Assert.True(checkedBefore > 0 && checkedAfter > 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_damaged_tail_next_to_its_chain_makes_the_whole_read_fail_as_corrupted(bool tailBefore)
    {
        var device = new CountingDevice();
        var docs = Mix(40, 5);
        using var db = OnDevice(device, Options(cache: 0));
        LoadBatch(db, docs);
        int victim = Enumerable.Range(0, docs.Length).First(i =>
            Current(db, $"/d/{i}") is var v && v.Tail.IsPresent && v.PageCount > 0 && TailBefore(v) == tailBefore);
        var t = Current(db, $"/d/{victim}").Tail;
        var b = new byte[1];
        device.Read(FragmentAt(t) + TailFragment.HeaderSize + t.Length / 2, b);
        b[0] ^= 0x20;
        device.Write(FragmentAt(t) + TailFragment.HeaderSize + t.Length / 2, b);
        Assert.Equal(Status.Corrupted, db.Read(P($"/d/{victim}"), out _));
        Assert.Contains("packed tail", LastError.Message);
        Assert.Contains("CRC", LastError.Message);
    }

    [Fact]
    public void A_pack_page_that_cannot_be_written_when_the_next_one_starts_fails_the_write_and_every_page_goes_back()
    {
        var device = new FaultInjectingDevice(13);
        using var db = OnDevice(device, Options(cache: 0));
        Ok(db.Write(P("/kept"), Data(100, 1), out _));
        long Free() => db.Engine.FreeExtents().Sum(e => e.Count);
        Ok(db.GetStats(out var before));
        long freeBefore = Free();
        Ok(db.BeginBatch(out var batch));
        using (batch)
        {
            Ok(batch!.Write(P("/a"), Data(6000, 2)));   // its tail: the pack page right after its page
            Ok(batch!.Write(P("/b"), Data(6000, 3)));   // its tail: the same pack page, right before its page
            device.FailWritesAfter = device.Writes;     // /c's tail starts a pack page: the full one is written, and fails
            Assert.Equal(Status.IOError, batch!.Write(P("/c"), Data(6000, 4)));
            Assert.Contains("pack page", LastError.Message);
            device.FailWritesAfter = -1;
            Assert.NotEqual(Status.Ok, batch!.Commit()); // tails of /a and /b were in the lost page
        }
        Assert.Equal(Status.NotFound, db.Read(P("/a"), out _));
        Assert.Equal(Data(100, 1), db.Read("/kept"));
        // every page the batch took is free again: none leaked, none given back twice
        Ok(db.GetStats(out var after));
        Assert.Equal(after.TotalPages - before.TotalPages, Free() - freeBefore);
        Ok(db.Verify());
        Ok(db.Write(P("/after"), Data(6000, 5), out _));
        Assert.Equal(Data(6000, 5), db.Read("/after"));
        Ok(db.Verify());
    }

    [Fact]
    public void A_pack_page_between_two_documents_goes_free_only_when_neither_keeps_a_version_in_it()
    {
        var docs = Mix(60, 3);
        using var db = Memory(Options());
        LoadBatch(db, docs);
        long packs = PackPages(db);
        // overwrite every other document alone: each pack page still holds its other neighbour's tail
        for (int i = 0; i < docs.Length; i += 2) Ok(db.Write(P($"/d/{i}"), Data(100, i), out _));
        for (int i = 1; i < docs.Length; i += 2) Assert.Equal(docs[i], db.Read($"/d/{i}"));
        Ok(db.Verify());
        for (int i = 1; i < docs.Length; i += 2) Ok(db.Write(P($"/d/{i}"), Data(100, i), out _));
        Assert.True(packs > 0);
        Assert.Equal(0, PackPages(db));
        Ok(db.Verify());
    }

    [Fact]
    public void Compressed_documents_in_a_batch_pack_their_tails_next_to_their_chains_and_read_back()
    {
        var docs = Enumerable.Range(0, 60).Select(i => CompressedStorageTests.Json(20_000 + 997 * i, i)).ToArray();
        using var db = Memory(Options(compress: true));
        LoadBatch(db, docs);
        int tails = 0;
        for (int i = 0; i < docs.Length; i++)
        {
            var v = Current(db, $"/d/{i}");
            Assert.True(v.IsCompressed);
            if (v.Tail.IsPresent && v.PageCount > 0)
            {
                tails++;
                Assert.True(TailBefore(v) || TailAfter(v), $"document {i}");
            }
            Assert.Equal(docs[i], db.Read($"/d/{i}"));
        }
        Assert.True(tails > docs.Length / 4, $"{tails} packed tails");
        Ok(db.Verify());
    }
}
