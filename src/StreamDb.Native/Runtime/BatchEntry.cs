namespace StreamDb.Native;

internal sealed class BatchEntry(WriteBatch batch, DatabaseEntry owner) : HandleEntry(owner)
{
    public WriteBatch Batch { get; } = batch;

    public override void Release() => Batch.Dispose();
}
