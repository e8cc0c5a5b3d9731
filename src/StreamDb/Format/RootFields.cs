using System.Buffers.Binary;
using StreamDb.Util;

namespace StreamDb.Format;

/// <summary>
/// A commit point, stored in one of the two root slots of the file header (docs/FORMAT.md).
/// Open takes the valid slot with the higher sequence, and falls back to the other when the
/// newer one is damaged or what it points at did not completely reach the disk.
/// Layout (128 bytes, little-endian): the u64 fields below in declaration order from byte 0,
/// reserved zeros, and the CRC-32C of bytes 0..123 at byte 124.
/// </summary>
internal struct RootFields
{
    public const int Size = 128;
    private const int CrcOffset = 124;
    private const int FieldCount = 12;

    public ulong Sequence;           // sync point number; the higher valid one wins
    public ulong CommitTxn;          // last commit included
    public ulong BaseTxn;            // CommitTxn of the previous sync point: newer chains are verified on open
    public ulong PageCount;          // pages [0, PageCount) are the file's used area
    public ulong CheckpointHead;     // first page of the checkpoint chain (0 = none)
    public ulong CheckpointPages;
    public ulong CheckpointBytes;    // length of the checkpoint's record stream
    public ulong CheckpointWriteId;  // write id every checkpoint page carries
    public ulong JournalTail;        // last page of the journal chain (0 = empty journal)
    public ulong JournalPages;
    public ulong JournalBytes;
    public ulong JournalTailWriteId; // write id the tail page carries

    public readonly void Write(Span<byte> slot)
    {
        slot[..Size].Clear();
        ReadOnlySpan<ulong> fields = [Sequence, CommitTxn, BaseTxn, PageCount, CheckpointHead, CheckpointPages,
            CheckpointBytes, CheckpointWriteId, JournalTail, JournalPages, JournalBytes, JournalTailWriteId];
        for (int i = 0; i < FieldCount; i++) BinaryPrimitives.WriteUInt64LittleEndian(slot[(i * 8)..], fields[i]);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[CrcOffset..], Crc32C.Compute(slot[..CrcOffset]));
    }

    public static bool TryRead(ReadOnlySpan<byte> slot, out RootFields root)
    {
        root = default;
        if (BinaryPrimitives.ReadUInt32LittleEndian(slot[CrcOffset..]) != Crc32C.Compute(slot[..CrcOffset])) return false;
        Span<ulong> f = stackalloc ulong[FieldCount];
        for (int i = 0; i < FieldCount; i++) f[i] = BinaryPrimitives.ReadUInt64LittleEndian(slot[(i * 8)..]);
        root = new RootFields
        {
            Sequence = f[0], CommitTxn = f[1], BaseTxn = f[2], PageCount = f[3], CheckpointHead = f[4],
            CheckpointPages = f[5], CheckpointBytes = f[6], CheckpointWriteId = f[7], JournalTail = f[8],
            JournalPages = f[9], JournalBytes = f[10], JournalTailWriteId = f[11],
        };
        return root.Sequence > 0 && root.PageCount >= 1;
    }

    public static bool IsBlank(ReadOnlySpan<byte> slot) => !slot[..Size].ContainsAnyExcept((byte)0);
}
