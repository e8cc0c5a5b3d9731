using System.Text;
using StreamDb.Index;
using StreamDb.Pages;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Unit;

/// <summary>The index holds one version, one path and one extent without a collection around
/// them; these check that the compact forms behave like the collections they replace.</summary>
public sealed class CompactHoldersTests
{
    private static DocVersion V(long number, params Extent[] extents) => new(number, 1, 1, (ulong)number, 1, 0, extents);

    [Fact]
    public void A_version_list_grows_newest_first_and_shrinks_back_to_a_single_version()
    {
        var list = VersionList.Of(V(1, new Extent(3, 1)));
        Assert.Equal(1, list.Length);
        list = list.Prepend(V(2, new Extent(4, 1))).Prepend(V(3, new Extent(5, 1)));
        Assert.Equal(new long[] { 3, 2, 1 }, list.Select(v => v.Number));
        list = list.RemoveAt(1);
        Assert.Equal(new long[] { 3, 1 }, list.Select(v => v.Number));
        list = list.RemoveAt(0);
        Assert.Equal(1, list.Length);
        Assert.Equal(1, list[0].Number);
        Assert.Throws<IndexOutOfRangeException>(() => list[1]);
        Assert.Throws<InvalidOperationException>(() => list.RemoveAt(0));
        Assert.Equal(0, default(VersionList).Length);
    }

    [Fact]
    public void Document_paths_stay_in_byte_order_through_one_many_and_none()
    {
        var id = Guid.NewGuid();
        var paths = DocPaths.Empty.Add(P("/m"), id);
        Assert.Equal(1, paths.Count);
        Assert.True(paths.ContainsKey(P("/m")));
        Assert.Same(paths.All().Single(), paths.Add(P("/m"), id).All().Single()); // adding it again changes nothing
        paths = paths.Add(P("/z"), id).Add(P("/a"), id);
        Assert.Equal(["/a", "/m", "/z"], paths.All().Select(Encoding.UTF8.GetString));
        Assert.Equal(["/a", "/m", "/z"], paths.ToTree(id).All().Select(kv => Encoding.UTF8.GetString(kv.Key)));
        Assert.All(paths.ToTree(id).All(), kv => Assert.Equal(id, kv.Value));
        paths = paths.Remove(P("/m")).Remove(P("/nope"));
        Assert.Equal(["/a", "/z"], paths.All().Select(Encoding.UTF8.GetString));
        paths = paths.Remove(P("/a"));
        Assert.Equal(1, paths.Count);
        Assert.False(paths.ContainsKey(P("/a")));
        Assert.Equal(["/z"], paths.ToTree(id).All().Select(kv => Encoding.UTF8.GetString(kv.Key)));
        paths = paths.Remove(P("/z"));
        Assert.Equal(0, paths.Count);
        Assert.Empty(paths.All());
        Assert.Equal(0, paths.ToTree(id).Count);
    }

    [Fact]
    public void A_version_with_one_extent_or_several_maps_chain_positions_to_the_same_pages()
    {
        var one = V(1, new Extent(10, 3));
        Assert.Equal([new Extent(10, 3)], one.Extents.ToArray());
        Assert.Equal(3, one.PageCount);
        Assert.Equal(12, one.Info.PageAt(2));
        Assert.Equal(2, one.Info.ContiguousFrom(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => one.Info.PageAt(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => one.Info.PageAt(-1));
        Assert.Equal(0, one.Info.ContiguousFrom(3));
        var two = V(1, new Extent(10, 2), new Extent(40, 2));
        Assert.Equal([new Extent(10, 2), new Extent(40, 2)], two.Extents.ToArray());
        Assert.Equal(40, two.Info.PageAt(2));
        Assert.Equal(1, two.Info.ContiguousFrom(1));
        Assert.Equal(2, two.Info.ContiguousFrom(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => two.Info.PageAt(4));
        Assert.Equal(0, two.Info.ContiguousFrom(4));
    }
}
