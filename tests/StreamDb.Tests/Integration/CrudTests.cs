using StreamDb.Tests.Support;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

public sealed class CrudTests
{
    [Fact]
    public void Written_document_reads_back_exactly_and_survives_reopen()
    {
        using var dir = new TempDir();
        var data = Data(100_000, 1);
        Guid id;
        using (var db = Database.Open(dir.File()))
        {
            id = db.Write("/a/b", data);
            Assert.Equal(data, db.Read("/a/b"));
        }
        using (var db = Database.Open(dir.File()))
        {
            Assert.Equal(data, db.Read("/a/b"));
            Ok(db.GetId(P("/a/b"), out var again));
            Assert.Equal(id, again);
            Ok(db.Verify());
        }
    }

    [Fact]
    public void Reading_a_missing_path_is_NotFound()
    {
        using var db = Memory();
        Assert.Equal(Status.NotFound, db.Read(P("/nope"), out var data));
        Assert.Null(data);
        Assert.Contains("/nope", LastError.Message);
    }

    [Fact]
    public void Delete_removes_the_document_and_a_second_delete_is_NotFound()
    {
        using var db = Memory();
        db.Write("/x", [1, 2, 3]);
        Ok(db.Delete(P("/x")));
        Assert.False(db.Exists("/x"));
        Assert.Equal(Status.NotFound, db.Delete(P("/x")));
        Ok(db.GetStats(out var st));
        Assert.Equal(0, st.Documents);
        Ok(db.Verify());
    }
}
