using StreamDb.Documents;
using StreamDb.Pages;

namespace StreamDb.Index;

/// <summary>
/// One stored version of a document, as the index keeps it: a <see cref="VersionInfo"/> in an
/// object, so that the states that share it share one copy. Immutable. Readers take
/// <see cref="Info"/> by reference.
/// </summary>
internal sealed class DocVersion(in VersionInfo info)
{
    /// <summary>Flag: the chain holds Snappy chunks described by <see cref="Chunks"/>.</summary>
    public const uint CompressedFlag = 1;

    /// <summary>Flag: the stored bytes end in a fragment in a pack page (<see cref="Tail"/>).</summary>
    public const uint PackedTailFlag = 2;

    /// <summary>Logical bytes per compressed chunk (the last may be shorter).</summary>
    public const int ChunkSize = 64 * 1024;

    public DocVersion(long number, long length, long storedLength, ulong writeId, long commitTxn, uint flags, ReadOnlySpan<Extent> extents, long[]? chunks = null, TailRef tail = default)
        : this(new VersionInfo(number, length, storedLength, writeId, commitTxn, flags, extents, chunks, tail))
    {
    }

    /// <summary>The version itself (a field, so that <c>in v.Info</c> passes it without a copy).</summary>
    public readonly VersionInfo Info = info;

    public long Number => Info.Number;
    public long Length => Info.Length;
    public long StoredLength => Info.StoredLength;
    public ulong WriteId => Info.WriteId;
    public long CommitTxn => Info.CommitTxn;
    public uint Flags => Info.Flags;
    public ReadOnlySpan<Extent> Extents => Info.Extents;
    public long PageCount => Info.PageCount;
    public bool IsCompressed => Info.IsCompressed;
    public TailRef Tail => Info.Tail;
    public long[]? Chunks => Info.Chunks;
}
