using StreamDb.Storage;
using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Crash;

/// <summary>A small document's chain (up to 8 pages) reaches the device in one write at commit,
/// first page and the rest together; a large one is still written in runs while it arrives.</summary>
public sealed class SmallCommitWriteTests
{
    private static DatabaseOptions Options() => new() { PageSize = 4096, VersionsToKeep = 1, PageCachePages = 64 };

    [Theory]
    [InlineData(0)]
    [InlineData(9000)]    // three pages
    [InlineData(30_000)]  // eight pages: the largest chain held back
    public void A_small_document_chain_is_one_device_write(int length)
    {
        var device = new FaultInjectingDevice(1);
        using var db = OnDevice(device, Options());
        Ok(db.Write(P("/seed"), Data(5000, 1), out _));
        int writes = device.Writes, syncs = device.Syncs;
        Ok(db.Write(P("/doc"), Data(length, 2), out _));
        Assert.True(device.Writes - writes <= 3, $"{device.Writes - writes} writes");  // data, journal page, root slot
        Assert.Equal(1, device.Syncs - syncs);
        Assert.Equal(Data(length, 2), db.Read("/doc"));
        Ok(db.Verify());
    }

    [Fact]
    public void A_chain_of_nine_pages_is_written_while_it_arrives_and_reads_back()
    {
        var device = new FaultInjectingDevice(1);
        using var db = OnDevice(device, Options());
        var data = Data(35_000, 3);
        Ok(db.OpenWriter(P("/big"), out var w));
        using (w)
        {
            for (int i = 0; i < data.Length; i += 1000) Ok(w!.Write(data.AsSpan(i, Math.Min(1000, data.Length - i))));
            Ok(w!.Commit(out _));
        }
        Assert.Equal(data, db.Read("/big"));
        Ok(db.Verify());
    }
}
