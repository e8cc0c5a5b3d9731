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
        ReadOnlySpan<byte> key;
        try
        {
            // (reads index pages an open left unread: it can fail, see RecordPages)
            if (!cursor.MoveNext(out key) || !key.StartsWith(prefix))
            {
                finished = true;
                return Status.Done;
            }
        }
        catch (Exception e) { return ErrorMapping.FromException(e); }
        path = key;
        return Status.Ok;
    }

    public List<string> ToStringList()
    {
        var list = new List<string>();
        Status s;
        while ((s = Next(out var p)) == Status.Ok) list.Add(Encoding.UTF8.GetString(p));
        if (s != Status.Done) s.ThrowIfError();
        return list;
    }

    public void Dispose() => finished = true;
}
