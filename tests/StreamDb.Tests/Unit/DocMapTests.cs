using StreamDb.Index;

namespace StreamDb.Tests.Unit;

public sealed class DocMapTests
{
    private static DocRecord Doc(Guid id, int tag) => new(id, default, DocPaths.Empty.Add(BitConverter.GetBytes(tag), id));

    private static int Tag(DocRecord d) => BitConverter.ToInt32(d.Paths.All().Single());

    /// <summary>Two ids whose 64-bit hashes (the halves folded) are equal.</summary>
    private static (Guid, Guid) Colliding(Random random)
    {
        var a = new byte[16];
        random.NextBytes(a);
        var b = (byte[])a.Clone();
        for (int i = 0; i < 8; i++)
        {
            byte x = (byte)random.Next(1, 256);
            b[i] ^= x;
            b[i + 8] ^= x;
        }
        return (new Guid(a), new Guid(b));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Behaves_like_a_dictionary_under_random_edits_and_old_snapshots_never_change(int seed)
    {
        Console.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var ids = new List<Guid>();
        for (int i = 0; i < 400; i++) ids.Add(Guid.NewGuid());
        for (int i = 0; i < 50; i++)
        {
            var (a, b) = Colliding(random);
            ids.Add(a);
            ids.Add(b);
        }
        var model = new Dictionary<Guid, int>();
        var map = DocMap.Empty;
        var snapshots = new List<(DocMap Map, Dictionary<Guid, int> Model)>();
        for (int round = 0; round < 60; round++)
        {
            var builder = map.ToBuilder();
            for (int op = 0; op < 200; op++)
            {
                var id = ids[random.Next(ids.Count)];
                if (random.Next(3) == 0)
                {
                    Assert.True(model.Remove(id) == builder.Remove(id), $"seed {seed}: remove {id}");
                }
                else
                {
                    int tag = random.Next();
                    builder[id] = Doc(id, tag);
                    model[id] = tag;
                }
                Assert.Equal(model.Count, builder.Count);
                var probe = ids[random.Next(ids.Count)];
                Assert.True(model.ContainsKey(probe) == builder.ContainsKey(probe), $"seed {seed}: contains {probe}");
            }
            map = builder.ToImmutable();
            builder[ids[0]] = Doc(ids[0], -1); // an edit after ToImmutable must not reach the map handed out
            snapshots.Add((map, new Dictionary<Guid, int>(model)));
        }
        foreach (var (snap, expected) in snapshots)
        {
            Assert.Equal(expected.Count, snap.Count);
            Assert.Equal(expected.Count, snap.Values.Count());
            foreach (var d in snap.Values) Assert.Equal(expected[d.Id], Tag(d));
            foreach (var id in ids)
            {
                bool found = snap.TryGetValue(id, out var d);
                Assert.True(expected.ContainsKey(id) == found, $"seed {seed}: {id}");
                if (found) Assert.Equal(expected[id], Tag(d));
            }
        }
    }

    [Fact]
    public void Storing_a_record_under_another_id_is_refused()
    {
        var builder = DocMap.CreateBuilder();
        Assert.Throws<ArgumentException>(() => builder[Guid.NewGuid()] = Doc(Guid.NewGuid(), 1));
        Assert.Equal(0, builder.Count);
    }
}
