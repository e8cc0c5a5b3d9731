using System.Text;
using StreamDb.Storage;
using StreamDb.Tests.Support;
using Xunit.Abstractions;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

public sealed class CompressedStorageTests(ITestOutputHelper output)
{
    private static readonly DatabaseOptions Compressed = new() { Compress = true, PageSize = 4096 };

    /// <summary>Deterministic JSON-like text: compressible the way real metadata is.</summary>
    public static byte[] Json(int length, int seed)
    {
        var rnd = new Random(seed);
        var sb = new StringBuilder();
        string[] names = ["sensor", "gateway", "player", "texture", "mesh", "audio"];
        while (sb.Length < length)
            sb.Append($"{{\"id\":{rnd.Next(100000)},\"kind\":\"{names[rnd.Next(names.Length)]}\",\"value\":{rnd.NextDouble():F4},\"ok\":{(rnd.Next(2) == 0 ? "true" : "false")}}},\n");
        return Encoding.UTF8.GetBytes(sb.ToString())[..length];
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(65537)]
    [InlineData(1_000_000)]
    public void Compressed_documents_read_back_exactly_whole_ranged_and_streamed(int size)
    {
        using var db = Memory(Compressed);
        var data = Json(size, size);
        db.Write("/c", data);
        Assert.Equal(data, db.Read("/c"));
        var buffer = new byte[50_000];
        for (long off = 0; off < size; off += 33_333)
        {
            Ok(db.ReadInto(P("/c"), off, buffer, out int n));
            Assert.True(buffer.AsSpan(0, n).SequenceEqual(data.AsSpan((int)off, n)), $"range at {off}");
        }
        Ok(db.OpenReader(P("/c"), out var r));
        using (r)
        {
            var all = new List<byte>();
            while (r!.Next(out var chunk) == Status.Ok) all.AddRange(chunk.ToArray());
            Assert.Equal(data, all.ToArray());
        }
        Assert.Equal(size, db.Stat("/c").Size);
        Ok(db.Verify());
    }

    [Fact]
    public void Compressible_data_takes_fewer_pages_and_incompressible_data_is_stored_raw()
    {
        var json = Json(4 << 20, 1);
        var random = Data(4 << 20, 2);
        long Pages(DatabaseOptions o, byte[] d)
        {
            using var db = Memory(o);
            Ok(db.GetStats(out var before));
            db.Write("/d", d);
            Ok(db.GetStats(out var after));
            Assert.Equal(d, db.Read("/d"));
            return (after.TotalPages - after.FreePages) - (before.TotalPages - before.FreePages);
        }
        var plain = new DatabaseOptions { PageSize = 4096 };
        long jsonRaw = Pages(plain, json), jsonCompressed = Pages(Compressed, json);
        long randRaw = Pages(plain, random), randCompressed = Pages(Compressed, random);
        output.WriteLine($"JSON 4 MiB: {jsonRaw} pages raw, {jsonCompressed} compressed (ratio {(double)jsonCompressed / jsonRaw:F2})");
        output.WriteLine($"random 4 MiB: {randRaw} pages raw, {randCompressed} compressed (ratio {(double)randCompressed / randRaw:F2})");
        Assert.True(jsonCompressed * 2 < jsonRaw);
        Assert.InRange(randCompressed, randRaw - 2, randRaw + 2); // raw chunks: no growth
    }

    [Fact]
    public void A_database_holds_raw_and_compressed_documents_side_by_side()
    {
        using var dir = new TempDir();
        var a = Json(200_000, 1);
        var b = Json(200_000, 2);
        using (var db = Database.Open(dir.File())) db.Write("/raw", a);
        using (var db = Database.Open(dir.File(), new DatabaseOptions { Compress = true })) db.Write("/packed", b);
        using (var db = Database.Open(dir.File()))
        {
            Assert.Equal(a, db.Read("/raw"));
            Assert.Equal(b, db.Read("/packed"));
            db.Write("/packed", a); // a raw new version of a compressed document
            Assert.Equal(a, db.Read("/packed"));
            Assert.Equal(b, db.Read("/packed", 1));
            Ok(db.Verify());
        }
    }

    [Fact]
    public void A_damaged_compressed_chunk_is_Corrupted_not_garbage()
    {
        var device = new FaultInjectingDevice(1);
        using var db = OnDevice(device, new DatabaseOptions { Compress = true, PageSize = 4096, PageCachePages = 0 });
        db.Write("/z", Json(100_000, 3));
        Ok(db.Flush());
        Assert.True(db.Engine.Current.TryResolve(P("/z"), out var doc));
        device.FlipBit(doc.Current.Info.PageAt(1) * 4096 + 500, 2);
        Assert.Equal(Status.Corrupted, db.Read(P("/z"), out var data));
        Assert.Null(data);
        Assert.Equal(Status.Corrupted, db.Verify());
    }

    [Fact]
    public void The_size_limit_applies_to_the_uncompressed_length()
    {
        using var db = Memory(new DatabaseOptions { Compress = true, MaxDocumentSize = 100_000 });
        Ok(db.Write(P("/ok"), Json(100_000, 1), out _));
        Assert.Equal(Status.TooLarge, db.Write(P("/big"), Json(100_001, 1), out _));
        Ok(db.OpenWriter(P("/big2"), out var w));
        Ok(w!.Write(Json(100_000, 2)));
        Assert.Equal(Status.TooLarge, w.Write([1]));
        Assert.False(db.Exists("/big2"));
    }
}
