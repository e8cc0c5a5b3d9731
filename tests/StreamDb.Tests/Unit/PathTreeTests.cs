using System.Text;
using StreamDb.Index;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Unit;

public sealed class PathTreeTests
{
    private static PathTree Of(params string[] paths)
    {
        var t = PathTree.Empty;
        foreach (var p in paths) t = t.SetItem(P(p), Guid.NewGuid());
        return t;
    }

    private static List<string> Prefix(PathTree t, string prefix) =>
        t.WithPrefix(P(prefix)).Select(kv => Encoding.UTF8.GetString(kv.Key)).ToList();

    [Fact]
    public void Exact_match_finds_only_the_inserted_key()
    {
        var id = Guid.NewGuid();
        var t = PathTree.Empty.SetItem(P("/a/b"), id);
        Assert.True(t.TryGetValue(P("/a/b"), out var got));
        Assert.Equal(id, got);
        Assert.False(t.ContainsKey(P("/a")));
        Assert.False(t.ContainsKey(P("/a/b/")));
    }

    [Fact]
    public void Prefix_search_returns_matches_in_byte_order_including_the_exact_match()
    {
        var t = Of("/b", "/a/2", "/a", "/a/1", "/ab", "/c");
        Assert.Equal(["/a", "/a/1", "/a/2", "/ab"], Prefix(t, "/a"));
        Assert.Equal(["/a/1", "/a/2"], Prefix(t, "/a/"));
        Assert.Equal(6, Prefix(t, "").Count);
        Assert.Empty(Prefix(t, "/d"));
    }

    [Fact]
    public void Delete_removes_only_that_key_and_old_trees_are_unchanged()
    {
        var t1 = Of("/a", "/b", "/c");
        var t2 = t1.Remove(P("/b"));
        Assert.Equal(3, t1.Count);
        Assert.Equal(2, t2.Count);
        Assert.True(t1.ContainsKey(P("/b")));
        Assert.False(t2.ContainsKey(P("/b")));
        Assert.Same(t2, t2.Remove(P("/zzz")));
    }

    [Fact]
    public void Unicode_paths_sort_by_utf8_bytes_not_utf16_units()
    {
        // U+FF21 (3 UTF-8 bytes EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8,
        // though in UTF-16 the surrogate D83D sorts before FF21.
        var t = Of("/\U0001F600", "/\uFF21", "/é", "/z");
        Assert.Equal(["/z", "/é", "/\uFF21", "/\U0001F600"], Prefix(t, "/"));
        Assert.Equal(["/é"], Prefix(t, "/é"));
    }

    [Fact]
    public void Randomized_operations_agree_with_a_sorted_dictionary()
    {
        int seed = 1234;
        var rnd = new Random(seed);
        var model = new SortedDictionary<string, Guid>(StringComparer.Ordinal);
        var t = PathTree.Empty;
        for (int i = 0; i < 20000; i++)
        {
            string k = "/" + rnd.Next(3000).ToString("x");
            if (rnd.Next(3) == 0)
            {
                model.Remove(k);
                t = t.Remove(P(k));
            }
            else
            {
                var id = Guid.NewGuid();
                model[k] = id;
                t = t.SetItem(P(k), id);
            }
        }
        Assert.Equal(model.Count, t.Count);
        Assert.Equal(model.Keys.ToList(), Prefix(t, ""));
        foreach (var (k, v) in model)
        {
            Assert.True(t.TryGetValue(P(k), out var got), $"seed {seed}: {k} missing");
            Assert.Equal(v, got);
        }
        Assert.Equal(model.Keys.Where(k => k.StartsWith("/a")).ToList(), Prefix(t, "/a"));
    }
}
