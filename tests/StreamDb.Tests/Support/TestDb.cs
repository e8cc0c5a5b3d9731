using System.Text;
using StreamDb.Storage;

namespace StreamDb.Tests.Support;

/// <summary>Helpers shared by the tests: temporary files, UTF-8 paths, seeded random data.</summary>
internal static class TestDb
{
    public static byte[] P(string path) => Encoding.UTF8.GetBytes(path);

    public static byte[] Data(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    public static Database Memory(DatabaseOptions? o = null) => Database.OpenMemory(o);

    public static Database OnDevice(IStorageDevice device, DatabaseOptions? o = null)
    {
        Database.OpenOn(device, o ?? new DatabaseOptions(), out var db).ThrowIfError();
        return db!;
    }

    /// <summary>How many pack pages the engine counts for the newest state.</summary>
    public static long PackPages(Database db)
    {
        var (state, _, _, _, packs) = db.Engine.PinHeadWithLayout();
        db.Engine.Unpin(state);
        return packs;
    }

    public static void Ok(Status s)
    {
        if (s != Status.Ok) throw new Xunit.Sdk.XunitException($"expected Ok, got {s}: {LastError.Message}");
    }
}

/// <summary>A temporary directory removed at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "streamdb-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name = "test.sdb") => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}
