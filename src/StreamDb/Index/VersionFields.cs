using StreamDb.Documents;
using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Index;

/// <summary>
/// A version record's fields, read and checked without making a <see cref="DocVersion"/>: an
/// open walks every version of the checkpoint to find the pages in use, and making objects of
/// them all was most of what an open cost.
/// </summary>
internal ref struct VersionFields
{
    public Guid Id;
    public long Number, Length, StoredLength, CommitTxn, PageCount;
    public ulong WriteId;
    public uint Flags;
    /// <summary>The chain's runs of pages (in the caller's scratch array when they fit it:
    /// valid until the next read into it).</summary>
    public Span<Extent> Extents;
    /// <summary>The chunk sizes, only when asked for (<c>keepChunks</c>).</summary>
    public long[]? Chunks;
    public TailRef Tail;

    /// <summary>Reads a version record after its type byte. Throws FormatException on anything
    /// malformed or inconsistent.</summary>
    public static VersionFields Read(scoped ref RecordReader r, Extent[] scratch, bool keepChunks)
    {
        var f = new VersionFields { Id = r.Guid() };
        f.Number = r.VarInt();
        f.Length = r.VarInt();
        f.StoredLength = r.VarInt();
        f.WriteId = r.UInt64();
        f.CommitTxn = r.VarInt();
        f.Flags = (uint)r.VarInt(uint.MaxValue);
        int n = (int)r.VarInt(1 << 24);
        f.Extents = n <= scratch.Length ? scratch.AsSpan(0, n) : new Extent[n];
        for (int i = 0; i < n; i++)
        {
            f.Extents[i] = new Extent(r.VarInt(), r.VarInt());
            f.PageCount += f.Extents[i].Count;
        }
        if ((f.Flags & DocVersion.CompressedFlag) != 0)
        {
            int count = (int)r.VarInt(1 << 24);
            if (count != (f.Length + DocVersion.ChunkSize - 1) / DocVersion.ChunkSize)
                throw new FormatException($"document {f.Id}: {count} chunks for {f.Length} bytes");
            if (keepChunks) f.Chunks = new long[count];
            long sum = 0;
            for (int i = 0; i < count; i++)
            {
                long c = r.VarInt((long)DocVersion.ChunkSize << 1 | 1);
                if (keepChunks) f.Chunks![i] = c;
                sum += c >> 1;
            }
            if (sum != f.StoredLength) throw new FormatException($"document {f.Id}: chunk sizes do not add up to the stored length");
        }
        if ((f.Flags & DocVersion.PackedTailFlag) != 0)
        {
            f.Tail = new TailRef(r.VarInt(uint.MaxValue), (int)r.VarInt(ushort.MaxValue), (int)r.VarInt(ushort.MaxValue));
            if (f.Tail.Page == 0 || f.Tail.Length > f.StoredLength) throw new FormatException($"document {f.Id}: packed tail {f.Tail} does not fit");
        }
        if ((f.Flags & ~(DocVersion.CompressedFlag | DocVersion.PackedTailFlag)) != 0) throw new FormatException($"document {f.Id}: unknown version flags {f.Flags}");
        return f;
    }

    /// <summary>Scratch for <see cref="Read"/> on this thread (the extents of almost every version fit).</summary>
    [ThreadStatic] private static Extent[]? threadScratch;

    public static Extent[] Scratch => threadScratch ??= new Extent[8];

    public readonly DocVersion ToVersion() => new(ToInfo());

    public readonly VersionInfo ToInfo() => new(Number, Length, StoredLength, WriteId, CommitTxn, Flags, Extents, Chunks, Tail);
}
