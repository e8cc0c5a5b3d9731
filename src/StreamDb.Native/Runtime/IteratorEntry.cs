namespace StreamDb.Native;

internal sealed class IteratorEntry(PathCursor cursor, DatabaseEntry owner) : HandleEntry(owner)
{
    public PathCursor Cursor { get; } = cursor;

    public ScratchBuffer Current { get; } = new();

    public override void Release()
    {
        Cursor.Dispose();
        Current.Release();
    }
}
