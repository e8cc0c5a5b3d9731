namespace StreamDb.Native;

// The reader's chunks live in pinned memory (DocumentReader.Next says so), so the C caller gets
// their address directly: no per-chunk copy.
internal sealed class ReaderEntry(DocumentReader reader, DatabaseEntry owner) : HandleEntry(owner)
{
    public DocumentReader Reader { get; } = reader;

    public override void Release() => Reader.Dispose();
}
