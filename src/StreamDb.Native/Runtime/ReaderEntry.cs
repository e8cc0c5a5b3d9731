namespace StreamDb.Native;

internal sealed class ReaderEntry(DocumentReader reader, DatabaseEntry owner) : HandleEntry(owner)
{
    public DocumentReader Reader { get; } = reader;

    public ScratchBuffer Chunk { get; } = new();

    public override void Release()
    {
        Reader.Dispose();
        Chunk.Release();
    }
}
