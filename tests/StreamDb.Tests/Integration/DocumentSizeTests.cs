using StreamDb.Tests.Support;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

public sealed class DocumentSizeTests
{
    public static IEnumerable<object[]> Sizes()
    {
        using var db = Memory();
        var (page, first) = db.PageCapacity;
        foreach (int n in new[] { 0, 1, first - 1, first, first + 1, first + page - 1, first + page, first + page + 1, 3 * page + 17 })
            yield return [n];
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Documents_at_page_boundaries_read_back_exactly_whole_ranged_and_streamed(int size)
    {
        using var dir = new TempDir();
        var data = Data(size, size);
        using (var db = Database.Open(dir.File()))
        {
            db.Write("/s", data);
        }
        using (var db = Database.Open(dir.File()))
        {
            Assert.Equal(data, db.Read("/s"));
            var buffer = new byte[777];
            for (long off = 0; off <= size; off += 777)
            {
                Ok(db.ReadInto(P("/s"), off, buffer, out int n));
                Assert.Equal(Math.Min(777, size - off), n);
                Assert.True(buffer.AsSpan(0, n).SequenceEqual(data.AsSpan((int)off, n)));
            }
            Ok(db.OpenReader(P("/s"), out var reader));
            using (reader)
            {
                var all = new List<byte>();
                while (reader!.Next(out var chunk) == Status.Ok) all.AddRange(chunk.ToArray());
                Assert.Equal(data, all.ToArray());
            }
            Ok(db.Verify());
        }
    }

    [Fact]
    public void A_twenty_mebibyte_document_round_trips()
    {
        using var dir = new TempDir();
        var data = Data(20 << 20, 20);
        using var db = Database.Open(dir.File());
        db.Write("/big", data);
        Assert.Equal(data, db.Read("/big"));
        Ok(db.Verify());
    }

    [Fact]
    public void Max_document_size_is_accepted_exactly_and_one_more_byte_is_TooLarge_writing_nothing()
    {
        const int max = 1 << 20;
        using var db = Memory(new DatabaseOptions { MaxDocumentSize = max });
        Ok(db.Write(P("/max"), Data(max, 1), out _));
        Ok(db.GetStats(out var before));
        Assert.Equal(Status.TooLarge, db.Write(P("/over"), Data(max + 1, 2), out _));
        Assert.False(db.Exists("/over"));
        Ok(db.OpenWriter(P("/over2"), out var w));
        Ok(w!.Write(Data(max, 3)));
        Assert.Equal(Status.TooLarge, w.Write([1]));
        Assert.Equal(Status.InvalidArgument, w.Commit(out _));
        Assert.False(db.Exists("/over2"));
        Ok(db.GetStats(out var after));
        Assert.Equal(before.Documents, after.Documents);
        Assert.Equal(before.TotalPages - before.FreePages, after.TotalPages - after.FreePages);
        Ok(db.Verify());
    }

    [Fact]
    public void A_short_document_written_over_a_long_one_reads_back_exactly()
    {
        using var dir = new TempDir();
        using var db = Database.Open(dir.File(), new DatabaseOptions { VersionsToKeep = 0 });
        db.Write("/d", Data(50_000, 1));
        db.Flush();
        db.Write("/d", Data(50_000, 2));
        db.Flush(); // the first version's pages are now reusable
        var shortData = Data(10, 3);
        db.Write("/d", shortData);
        Assert.Equal(shortData, db.Read("/d"));
        var buffer = new byte[100];
        Ok(db.ReadInto(P("/d"), 0, buffer, out int n));
        Assert.Equal(10, n);
        Assert.Equal(10, db.Stat("/d").Size);
    }

    [Fact]
    public void Write_and_delete_cycles_keep_the_file_size_bounded()
    {
        using var dir = new TempDir();
        using var db = Database.Open(dir.File(), new DatabaseOptions { NoSync = true });
        long sizeAfterWarmup = 0;
        for (int round = 0; round < 60; round++)
        {
            for (int i = 0; i < 10; i++) db.Write($"/c/{i}", Data(30_000, round * 10 + i));
            for (int i = 0; i < 10; i++) db.Delete($"/c/{i}");
            if (round == 10) sizeAfterWarmup = new FileInfo(dir.File()).Length;
        }
        long final = new FileInfo(dir.File()).Length;
        Assert.True(final <= sizeAfterWarmup * 1.5 + 65536, $"file grew from {sizeAfterWarmup} to {final}");
        Ok(db.Verify());
    }

    [Fact]
    public void A_database_at_its_size_limit_says_Full_stays_intact_and_frees_space_by_deleting()
    {
        using var db = Memory(new DatabaseOptions { PageSize = 4096, MaxDbSize = 4096L * 200 });
        int written = 0;
        Status s;
        while ((s = db.Write(P($"/f/{written}"), Data(20_000, written), out _)) == Status.Ok) written++;
        Assert.Equal(Status.Full, s);
        Assert.Contains("full", LastError.Message);
        Assert.True(written > 10);
        Ok(db.Verify());
        for (int i = 0; i < written; i++) Assert.Equal(Data(20_000, i), db.Read($"/f/{i}"));
        Ok(db.Delete(P("/f/0")));
        Ok(db.Delete(P("/f/1")));
        Ok(db.Flush());
        Ok(db.Flush());
        Ok(db.Write(P("/f/again"), Data(20_000, 99), out _));
        Ok(db.Verify());
    }
}
