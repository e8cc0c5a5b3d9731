using StreamDb.Index;
using StreamDb.Documents;
using StreamDb.Util;

namespace StreamDb;

/// <summary>
/// A group of writes and deletes that commits atomically with one sync: after a crash either
/// all of it is there or none. Writes are written to free pages as they are added; the commit
/// only publishes them. Deletes are checked at commit: a path that is not bound then fails the
/// whole batch with NotFound. Small documents and, by default, the small last pages of larger
/// ones are packed into shared pages (see <see cref="TailPacking"/> and <see cref="TailPacker"/>).
/// Use from one thread at a time.
/// </summary>
public sealed class WriteBatch : IDisposable
{
    private readonly Database db;
    // each write with the id its document gets if its path is unbound at commit (the id its
    // first page was stamped with when written ahead)
    private readonly List<(byte[] Path, DocumentEncoder? Chain, Guid NewId)> ops = new();
    private TailPacker? packer; // null when the database packs nothing
    private bool done;

    internal WriteBatch(Database db)
    {
        this.db = db;
        packer = db.Engine.NewPacker();
    }

    public int Count => ops.Count;

    /// <summary>Bytes of buffers the batch's pending writers hold until the commit.</summary>
    internal long HeldBytes => ops.Sum(op => op.Chain?.HeldBytes ?? 0);

    public Status Write(ReadOnlySpan<byte> path, ReadOnlySpan<byte> data)
    {
        if (done) return LastError.Set(Status.InvalidArgument, "the batch is finished");
        var s = db.CheckWritable();
        if (s != Status.Ok) return s;
        s = PathRules.Validate(path);
        if (s != Status.Ok) return s;
        var w = db.Engine.NewEncoder(data.Length, packer: packer);
        Guid newId = default;
        try
        {
            s = w.Append(data);
            if (s == Status.Ok) s = w.Finish();
            if (s == Status.Ok)
            {
                // The first page goes out now, stamped with the likely id and number, so that
                // the batch holds no page of it until the commit (which stamps and writes it
                // again when the guess was wrong: the path written twice in the batch, or by
                // another commit meanwhile).
                (newId, long number) = db.Engine.PredictWrite(path);
                s = w.WriteAhead(newId, number);
            }
        }
        catch (Exception e)
        {
            s = ErrorMapping.FromException(e);
        }
        if (s != Status.Ok)
        {
            w.Dispose();
            return s;
        }
        ops.Add((path.ToArray(), w, newId));
        return Status.Ok;
    }

    public Status Delete(ReadOnlySpan<byte> path)
    {
        if (done) return LastError.Set(Status.InvalidArgument, "the batch is finished");
        var s = PathRules.Validate(path);
        if (s != Status.Ok) return s;
        ops.Add((path.ToArray(), null, default));
        return Status.Ok;
    }

    /// <summary>Commits everything or nothing; the batch is finished either way.</summary>
    public Status Commit()
    {
        if (done) return LastError.Set(Status.InvalidArgument, "the batch is finished");
        Status s;
        try
        {
            s = db.CheckWritable();
            // the last pack page goes out before the commit that publishes its tails
            if (s == Status.Ok && packer is not null) s = packer.Flush();
            if (s == Status.Ok)
            {
                int keep = db.Engine.Options.VersionsToKeep;
                s = db.Engine.Commit((ed, firsts) =>
                {
                    foreach (var (path, chain, newId) in ops)
                    {
                        if (chain is null)
                        {
                            var d = ed.DeletePath(path);
                            if (d != Status.Ok) return LastError.Set(d, "batch not committed: " + LastError.Message);
                            continue;
                        }
                        var v = ed.WriteVersion(path, newId, chain.Prepared!, keep, out var id);
                        firsts.Add((chain, id, v.Number));
                    }
                    return Status.Ok;
                });
            }
        }
        catch (Exception e)
        {
            s = ErrorMapping.FromException(e);
        }
        Finish(abandon: s != Status.Ok);
        return s;
    }

    public void Abort()
    {
        if (!done) Finish(abandon: true);
    }

    private void Finish(bool abandon)
    {
        done = true;
        foreach (var (_, chain, _) in ops)
        {
            if (chain is null) continue;
            if (abandon) chain.Abandon();
            chain.Dispose();
        }
        ops.Clear();
        if (abandon) packer?.Abandon();
        else packer?.Committed();
        packer = null;
    }

    public void Dispose() => Abort();
}
