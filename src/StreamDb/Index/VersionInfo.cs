using System.Diagnostics.CodeAnalysis;
using StreamDb.Documents;
using StreamDb.Pages;

namespace StreamDb.Index;

/// <summary>
/// One stored version of a document as a value: where its page chain lives and how to check
/// it. Readers take it by reference, so that a read of a document the checkpoint holds decodes
/// its record into a local and allocates nothing. A <see cref="DocVersion"/> object per read
/// was 120 bytes of garbage, 24 MB over 200,000 reads, which this machine's collector let pile
/// up before its first collection. <see cref="DocVersion"/> holds one for the versions the
/// index keeps as objects. Extents list the chain's pages in order (usually one run:
/// allocation prefers contiguity).
/// </summary>
internal readonly struct VersionInfo
{
    public VersionInfo(long number, long length, long storedLength, ulong writeId, long commitTxn, uint flags, ReadOnlySpan<Extent> extents, long[]? chunks = null, TailRef tail = default)
    {
        if (tail.IsPresent != ((flags & DocVersion.PackedTailFlag) != 0)) throw new ArgumentException("the packed-tail flag and the tail disagree");
        // one long, not three fields: at 100,000 documents every field is 0.8 MB of index
        if (tail.IsPresent) packedTail = (tail.Page << 32) | ((long)tail.Offset << 16) | (uint)tail.Length;
        Chunks = chunks;
        if (chunks is not null)
        {
            ChunkStarts = new long[chunks.Length + 1];
            for (int i = 0; i < chunks.Length; i++) ChunkStarts[i + 1] = ChunkStarts[i] + (chunks[i] >> 1);
        }
        Number = number;
        Length = length;
        StoredLength = storedLength;
        WriteId = writeId;
        CommitTxn = commitTxn;
        Flags = flags;
        if (extents.Length == 1) only = extents[0];
        else many = extents.ToArray(); // none: a document held whole in its packed tail
        long pages = 0;
        foreach (var e in extents) pages += e.Count;
        PageCount = pages;
    }

    public long Number { get; }
    /// <summary>Logical length: what readers get.</summary>
    public long Length { get; }
    /// <summary>Bytes stored in the chain (equals Length unless compressed).</summary>
    public long StoredLength { get; }
    /// <summary>Random-based id shared by every page of the chain; its low 32 bits are each page's stamp.</summary>
    public ulong WriteId { get; }
    public long CommitTxn { get; }
    public uint Flags { get; }
    // One extent (the usual case: allocation prefers contiguity) is held inline, not as an array
    // of one: at 100,000 documents that array was 4 MB of the index and an allocation per version.
    private readonly Extent only;
    private readonly Extent[]? many;

    /// <summary>The chain's runs of pages, in chain order.</summary>
    [UnscopedRef]
    public ReadOnlySpan<Extent> Extents => many ?? new ReadOnlySpan<Extent>(in only);
    public long PageCount { get; }

    public uint Stamp => (uint)WriteId;

    public bool IsCompressed => (Flags & DocVersion.CompressedFlag) != 0;

    private readonly long packedTail;

    /// <summary>The packed tail holding the stored bytes after the chain's (all full) pages; default when none.</summary>
    public TailRef Tail => packedTail == 0 ? default : new(packedTail >>> 32, (int)((packedTail >> 16) & 0xFFFF), (int)(packedTail & 0xFFFF));

    /// <summary>Stored bytes held by the chain's pages; the rest, if any, is the packed tail.</summary>
    public long ChainLength => StoredLength - (packedTail & 0xFFFF);

    /// <summary>Per chunk of a compressed version: stored size &lt;&lt; 1, | 1 when stored raw (it did not shrink).</summary>
    public long[]? Chunks { get; }

    /// <summary>Stored offset of each chunk, and the stored length at the end.</summary>
    public long[]? ChunkStarts { get; }

    /// <summary>Page id of the chain's page at <paramref name="index"/>.</summary>
    public long PageAt(long index)
    {
        if (many is null)
        {
            if ((ulong)index < (ulong)only.Count) return only.Start + index;
            throw new ArgumentOutOfRangeException(nameof(index));
        }
        foreach (var e in many)
        {
            if (index < e.Count) return e.Start + index;
            index -= e.Count;
        }
        throw new ArgumentOutOfRangeException(nameof(index));
    }

    /// <summary>How many pages after <paramref name="index"/> (inclusive) are contiguous on disk.</summary>
    public long ContiguousFrom(long index)
    {
        if (many is null) return (ulong)index < (ulong)only.Count ? only.Count - index : 0;
        foreach (var e in many)
        {
            if (index < e.Count) return e.Count - index;
            index -= e.Count;
        }
        return 0;
    }
}
