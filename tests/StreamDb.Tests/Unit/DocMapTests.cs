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

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 40)]
    [InlineData(4, 5000)]
    public void A_map_built_at_once_equals_one_built_by_inserts_and_edits_of_it_leave_it_unchanged(int seed, int count)
    {
        Console.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var ids = new List<Guid>();
        for (int i = 0; i < count; i++) ids.Add(Guid.NewGuid());
        for (int i = 0; i < count / 20; i++)
        {
            var (a, b) = Colliding(random);
            ids.Add(a);
            ids.Add(b);
        }
        var records = ids.Select((id, i) => Doc(id, i)).ToArray();
        var inserted = DocMap.CreateBuilder();
        foreach (var d in records) inserted[d.Id] = d;
        var byInserts = inserted.ToImmutable();
        var atOnce = DocMap.FromDistinct(records.OrderBy(_ => random.Next()).ToArray());
        Assert.Equal(ids.Count, atOnce.Count);
        // the same records (ids whose hashes collide share a leaf in no particular order)
        Assert.Equal(byInserts.Values.Select(d => d.Id).Order(), atOnce.Values.Select(d => d.Id).Order());
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            Assert.True(atOnce.TryGetValue(id, out var d), $"seed {seed}: {id}");
            Assert.Equal(i, Tag(d));
        }
        Assert.False(atOnce.ContainsKey(Guid.NewGuid()));
        var builder = atOnce.ToBuilder();
        foreach (var id in ids.Where((_, i) => i % 3 == 0)) Assert.True(builder.Remove(id));
        foreach (var id in ids.Where((_, i) => i % 3 == 1)) builder[id] = Doc(id, -1);
        var edited = builder.ToImmutable();
        Assert.Equal(ids.Count - (ids.Count + 2) / 3, edited.Count);
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            Assert.Equal(i, Tag(atOnce[id]));
            Assert.Equal(i % 3 != 0, edited.TryGetValue(id, out var e));
            if (i % 3 == 1) Assert.Equal(-1, Tag(e));
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
