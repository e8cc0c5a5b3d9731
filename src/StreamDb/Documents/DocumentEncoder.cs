using System.Buffers;
using StreamDb.Compression;
using StreamDb.Index;
using StreamDb.Util;

namespace StreamDb.Documents;

/// <summary>
/// The front of every document write: enforces max_document_size on what the caller writes
/// and, for a database opened with compression, turns the bytes into Snappy chunks of 64 KiB
/// of input before they reach the chain writer. A chunk that does not shrink is stored raw.
/// The chunk table (stored size and raw flag per chunk) goes into the version's index record,
/// so a range read finds its chunk without scanning.
/// </summary>
internal sealed class DocumentEncoder : IDisposable
{
    private readonly ChainWriter chain;
    private readonly long maxLength;
    private readonly byte[]? input;
    private readonly byte[]? output;
    private readonly List<long>? chunks;
    private int fill;
    private long length;
    private PreparedChain? prepared;

    public DocumentEncoder(ChainWriter chain, long maxLength, bool compress)
    {
        this.chain = chain;
        this.maxLength = maxLength;
        if (compress)
        {
            input = ArrayPool<byte>.Shared.Rent(DocVersion.ChunkSize);
            output = ArrayPool<byte>.Shared.Rent(Snappy.MaxCompressedLength(DocVersion.ChunkSize));
            chunks = new List<long>();
        }
    }

    public long Length => length;

    public PreparedChain? Prepared => prepared;

    /// <summary>Bytes of buffers this writer holds: the chain writer's and the compression buffers.</summary>
    internal long HeldBytes => chain.HeldBytes + (input?.Length ?? 0) + (output?.Length ?? 0);

    public Status Append(ReadOnlySpan<byte> data)
    {
        if (data.Length > maxLength - length)
        {
            chain.Abandon();
            return LastError.Set(Status.TooLarge, $"document would exceed max_document_size ({maxLength} bytes)");
        }
        if (input is null)
        {
            var s = chain.Append(data);
            if (s == Status.Ok) length += data.Length;
            return s;
        }
        while (data.Length > 0)
        {
            int n = Math.Min(data.Length, DocVersion.ChunkSize - fill);
            data[..n].CopyTo(input.AsSpan(fill));
            fill += n;
            length += n;
            data = data[n..];
            if (fill == DocVersion.ChunkSize)
            {
                var s = EmitChunk();
                if (s != Status.Ok) return s;
            }
        }
        return Status.Ok;
    }

    private Status EmitChunk()
    {
        int n = Snappy.Compress(input.AsSpan(0, fill), output);
        Status s;
        if (n < fill)
        {
            s = chain.Append(output.AsSpan(0, n));
            chunks!.Add((long)n << 1);
        }
        else
        {
            s = chain.Append(input.AsSpan(0, fill));
            chunks!.Add(((long)fill << 1) | 1);
        }
        fill = 0;
        return s;
    }

    public Status Finish()
    {
        if (input is not null && fill > 0)
        {
            var s = EmitChunk();
            if (s != Status.Ok) return s;
        }
        return chain.Finish(length, input is null ? 0 : DocVersion.CompressedFlag, chunks?.ToArray(), out prepared);
    }

    public void WriteFirstPage(Guid id, long number) => chain.WriteFirstPage(id, number);

    public void StampFirstPage(Guid id, long number) => chain.StampFirstPage(id, number);

    /// <summary>See <see cref="ChainWriter.WriteAhead"/>.</summary>
    public Status WriteAhead(Guid id, long number) => chain.WriteAhead(id, number);

    public bool TryJournalSlot(out long pageId, out Span<byte> page) => chain.TryJournalSlot(out pageId, out page);

    public void WriteHeld(bool journalInSlot) => chain.WriteHeld(journalInSlot);

    public void Abandon() => chain.Abandon();

    public void Dispose()
    {
        chain.Dispose();
        if (input is not null) ArrayPool<byte>.Shared.Return(input);
        if (output is not null) ArrayPool<byte>.Shared.Return(output);
    }
}
