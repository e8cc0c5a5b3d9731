using StreamDb.Documents;

namespace StreamDb;

/// <summary>
/// Streams a new version of a document; its length need not be known in advance. Nothing is
/// visible until <see cref="Commit"/>, which publishes it atomically. <see cref="Abort"/> (or
/// Dispose without Commit) reclaims its pages. Use from one thread at a time.
/// </summary>
public sealed class DocumentWriter : IDisposable
{
    private readonly Database db;
    private readonly byte[] path;
    private readonly DocumentEncoder chain;
    private bool done;

    internal DocumentWriter(Database db, byte[] path, DocumentEncoder chain)
    {
        this.db = db;
        this.path = path;
        this.chain = chain;
    }

    public long Length => chain.Length;

    /// <summary>Appends data. TooLarge past max_document_size, after which the writer is aborted.</summary>
    public Status Write(ReadOnlySpan<byte> data)
    {
        if (done) return LastError.Set(Status.InvalidArgument, "the writer is finished");
        var s = chain.Append(data);
        if (s != Status.Ok) Finish();
        return s;
    }

    /// <summary>Publishes the document atomically; the writer is finished either way.</summary>
    public Status Commit(out Guid id)
    {
        id = default;
        if (done) return LastError.Set(Status.InvalidArgument, "the writer is finished");
        try
        {
            var s = db.CheckWritable();
            if (s != Status.Ok) { chain.Abandon(); return s; }
            return db.CommitChain(path, chain, out id);
        }
        catch (Exception e)
        {
            chain.Abandon();
            return ErrorMapping.FromException(e);
        }
        finally { Finish(); }
    }

    /// <summary>Discards everything written; nothing becomes visible.</summary>
    public void Abort()
    {
        if (done) return;
        chain.Abandon();
        Finish();
    }

    private void Finish()
    {
        if (done) return;
        done = true;
        chain.Dispose();
    }

    public void Dispose() => Abort();
}
