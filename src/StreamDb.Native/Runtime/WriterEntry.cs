namespace StreamDb.Native;

internal sealed class WriterEntry(DocumentWriter writer, DatabaseEntry owner) : HandleEntry(owner)
{
    public DocumentWriter Writer { get; } = writer;

    /// <summary>Disposing an uncommitted writer aborts it: nothing becomes visible.</summary>
    public override void Release() => Writer.Dispose();
}
