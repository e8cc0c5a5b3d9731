using System.Text;
using StreamDb.Index;

namespace StreamDb;

/// <summary>
/// Walks paths in byte order over the index as it was when the cursor was made (an immutable
/// tree: later commits do not show, and nothing is copied). Use from one thread at a time.
/// </summary>
public sealed class PathCursor : IDisposable
{
    private readonly PathIndex.Cursor cursor;
    private readonly byte[] prefix;
    private bool finished;

    internal PathCursor(PathIndex paths, byte[] prefix)
    {
        this.prefix = prefix;
        cursor = paths.From(prefix);
    }

    /// <summary>Ok with the next path (valid for the cursor's lifetime) or Done.</summary>
    public Status Next(out ReadOnlySpan<byte> path)
    {
        path = default;
        if (finished) return Status.Done;
        if (!cursor.MoveNext(out var key) || !key.StartsWith(prefix))
        {
            finished = true;
            return Status.Done;
        }
        path = key;
        return Status.Ok;
    }

    public List<string> ToStringList()
    {
        var list = new List<string>();
        while (Next(out var p) == Status.Ok) list.Add(Encoding.UTF8.GetString(p));
        return list;
    }

    public void Dispose() => finished = true;
}
