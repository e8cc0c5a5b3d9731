using StreamDb.Pages;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

/// <summary>What verify catches beyond damaged pages: bookkeeping that would lose data later.</summary>
public sealed class VerifyTests
{
    [Fact]
    public void Verify_reports_a_page_in_use_that_the_allocator_holds_as_free()
    {
        using var db = Memory(new DatabaseOptions { PageSize = 4096 });
        Ok(db.Write(P("/a"), Data(6000, 1), out _));
        Ok(db.Write(P("/b"), Data(100, 2), out _));
        Ok(db.Verify());
        Assert.True(db.Engine.Current.TryResolve(P("/a"), out var a));
        var second = new Extent(a.Current.Info.PageAt(1), 1);
        db.Engine.Release([second]); // as a bookkeeping bug would: the next write could take it
        Assert.Equal(Status.Corrupted, db.Verify());
        Assert.Contains($"page {second.Start} is in use but the allocator holds it as free", LastError.Message);
    }
}
