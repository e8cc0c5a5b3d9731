namespace StreamDb.Index;

/// <summary>Index records, the unit of both the journal and the checkpoint (docs/FORMAT.md).</summary>
internal enum RecordType : byte
{
    /// <summary>varint txn: the records that follow belong to this commit (journal only).</summary>
    Commit = 1,
    /// <summary>guid id, varint number, length, stored length, u64 write id, varint commit txn,
    /// flags, extent count, (start, count)*: a new current version (creates the document).</summary>
    Version = 2,
    /// <summary>guid id, varint number: an old version is collected.</summary>
    Forget = 3,
    /// <summary>guid id, bytes path: binds a path (unbound before) to the document.</summary>
    Bind = 4,
    /// <summary>bytes path: unbinds it (the document stays).</summary>
    Unbind = 5,
    /// <summary>guid id: the document, its versions and paths are gone.</summary>
    Delete = 6,
    /// <summary>varint position, bytes path: binds the path to the checkpoint's document at that
    /// position in the order its Version records come (checkpoint only: 2-3 bytes instead of a
    /// 16-byte id, and an open needs no join of ids).</summary>
    BindAt = 7,
    /// <summary>The offsets and sums a checkpoint's records hold, first in the checkpoint
    /// (checkpoint only; see <see cref="CheckpointTables"/>).</summary>
    Tables = 8,
}
