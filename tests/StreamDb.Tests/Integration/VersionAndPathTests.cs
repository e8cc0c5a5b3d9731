using StreamDb.Tests.Support;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

public sealed class VersionAndPathTests
{
    [Fact]
    public void Two_old_versions_are_kept_and_the_third_write_collects_the_oldest()
    {
        using var db = Memory();
        var id1 = db.Write("/v", [1]);
        var id2 = db.Write("/v", [2]);
        var id3 = db.Write("/v", [3]);
        Assert.Equal(id1, id2);
        Assert.Equal(id1, id3);
        Assert.Equal(new byte[] { 3 }, db.Read("/v"));
        Assert.Equal(new byte[] { 2 }, db.Read("/v", 1));
        Assert.Equal(new byte[] { 1 }, db.Read("/v", 2));
        db.Write("/v", [4]);
        Assert.Equal(new byte[] { 2 }, db.Read("/v", 2));
        Assert.Equal(Status.NotFound, db.Read(P("/v"), out _, versionsBack: 3));
        var info = db.Stat("/v");
        Assert.Equal(4, info.Version);
        Assert.Equal(2, info.VersionsKept);
        Ok(db.Verify());
    }

    [Fact]
    public void A_new_version_is_visible_under_every_path_of_the_document()
    {
        using var db = Memory();
        var id = db.Write("/one", [1]);
        Ok(db.Bind(id, P("/two")));
        db.Write("/two", [2, 2]);
        Assert.Equal(new byte[] { 2, 2 }, db.Read("/one"));
        Ok(db.ListPaths(id, out var cursor));
        Assert.Equal(["/one", "/two"], cursor!.ToStringList());
        Assert.Equal(2, db.Stat("/one").PathCount);
    }

    [Fact]
    public void Unbind_keeps_the_document_reachable_by_id_and_delete_by_id_removes_it()
    {
        using var db = Memory();
        var id = db.Write("/p", [9]);
        Ok(db.Unbind(id, P("/p")));
        Assert.False(db.Exists("/p"));
        Ok(db.Stat(id, out var info));
        Assert.Equal(0, info.PathCount);
        Assert.Equal(Status.NotFound, db.Unbind(id, P("/p")));
        Ok(db.Bind(id, P("/q")));
        Assert.Equal(new byte[] { 9 }, db.Read("/q"));
        Ok(db.Delete(id));
        Assert.False(db.Exists("/q"));
        Assert.Equal(Status.NotFound, db.Delete(id));
        Ok(db.Verify());
    }

    [Fact]
    public void Binding_a_path_of_another_document_rebinds_it_and_deletes_the_orphan()
    {
        using var db = Memory();
        var a = db.Write("/a", [1]);
        var b = db.Write("/b", [2]);
        Ok(db.Bind(a, P("/b")));
        Assert.Equal(new byte[] { 1 }, db.Read("/b"));
        Assert.Equal(Status.NotFound, db.Stat(b, out _));
        Ok(db.GetStats(out var st));
        Assert.Equal(1, st.Documents);
        Assert.Equal(2, st.Paths);
        Ok(db.Verify());
    }

    [Fact]
    public void Deleting_one_path_of_several_keeps_the_document()
    {
        using var db = Memory();
        var id = db.Write("/x", [5]);
        Ok(db.Bind(id, P("/y")));
        Ok(db.Delete(P("/x")));
        Assert.Equal(new byte[] { 5 }, db.Read("/y"));
        Ok(db.Delete(P("/y")));
        Assert.Equal(Status.NotFound, db.Stat(id, out _));
    }

    [Fact]
    public void Binding_to_an_unknown_document_is_NotFound_and_changes_nothing()
    {
        using var db = Memory();
        Assert.Equal(Status.NotFound, db.Bind(Guid.NewGuid(), P("/z")));
        Ok(db.GetStats(out var st));
        Assert.Equal(0, st.Paths);
    }

    [Fact]
    public void Search_lists_prefix_matches_in_byte_order_as_of_the_call()
    {
        using var db = Memory();
        foreach (var p in new[] { "/m/b", "/m/a", "/m", "/n", "/m/a/deep" }) db.Write(p, [1]);
        Ok(db.Search(P("/m"), out var cursor));
        db.Write("/m/c", [1]); // after the cursor was made: not seen
        Assert.Equal(["/m", "/m/a", "/m/a/deep", "/m/b"], cursor!.ToStringList());
        Assert.Equal(6, db.Search("").Count);
    }

    [Fact]
    public void Invalid_paths_are_rejected_and_change_nothing()
    {
        using var db = Memory();
        Assert.Equal(Status.InvalidArgument, db.Write([], [1], out _));
        Assert.Equal(Status.InvalidArgument, db.Write(new byte[4097].Select(_ => (byte)'a').ToArray(), [1], out _));
        Assert.Equal(Status.InvalidArgument, db.Write(new byte[] { (byte)'/', 0xC3, 0x28 }, [1], out _));
        Assert.Contains("UTF-8", LastError.Message);
        Assert.Equal(Status.InvalidArgument, db.Write(new byte[] { (byte)'/', 0, (byte)'a' }, [1], out _));
        Assert.Equal(Status.InvalidArgument, db.Search(new byte[] { 0xFF }, out _));
        Ok(db.Write(new byte[4096].Select(_ => (byte)'a').ToArray(), [1], out _)); // exactly the limit is fine
        Ok(db.GetStats(out var st));
        Assert.Equal(1, st.Paths);
    }

    [Fact]
    public void One_hundred_thousand_paths_survive_reopen()
    {
        using var dir = new TempDir();
        var o = new DatabaseOptions { NoSync = true };
        using (var db = Database.Open(dir.File(), o))
        {
            for (int b = 0; b < 10; b++)
            {
                Ok(db.BeginBatch(out var batch));
                using (batch)
                {
                    for (int i = 0; i < 10_000; i++) Ok(batch!.Write(P($"/p/{b:D2}/{i:D5}"), BitConverter.GetBytes(b * 10_000 + i)));
                    Ok(batch!.Commit());
                }
            }
        }
        using (var db = Database.Open(dir.File(), o))
        {
            Ok(db.GetStats(out var st));
            Assert.Equal(100_000, st.Paths);
            Assert.Equal(100_000, st.Documents);
            Assert.Equal(BitConverter.GetBytes(54_321), db.Read("/p/05/04321"));
            Assert.Equal(10_000, db.Search("/p/07/").Count);
            Ok(db.Verify());
        }
    }
}
