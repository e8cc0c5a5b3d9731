using System.Buffers;
using StreamDb.Compression;
using StreamDb.Index;
using StreamDb.Util;

namespace StreamDb.Documents;

/// <summary>
/// Reads a version's logical bytes: straight from the chain for a raw version; for a
/// compressed one, chunk by chunk through the chunk table (stored range, then Snappy), so whole,
/// range and streamed reads all see plain bytes. A chunk that does not decode to its expected
/// size is Corrupted.
/// </summary>
internal sealed class ContentReader(ChainReader chains)
{
    public Status Read(Guid id, in VersionInfo v, long offset, Span<byte> destination, bool quick)
    {
        if (!v.IsCompressed) return chains.Read(id, v, offset, destination, quick);
        if (offset < 0 || offset + destination.Length > v.Length)
            return LastError.Set(Status.InvalidArgument, "read past the end of the document");
        const int C = DocVersion.ChunkSize;
        byte[] stored = ArrayPool<byte>.Shared.Rent(C);
        byte[]? plain = null;
        try
        {
            while (destination.Length > 0)
            {
                int ci = (int)(offset / C);
                int within = (int)(offset % C);
                int chunkLength = (int)Math.Min(C, v.Length - (long)ci * C);
                long start = v.ChunkStarts![ci];
                int size = (int)(v.Chunks![ci] >> 1);
                bool raw = (v.Chunks[ci] & 1) != 0;
                if (size > C || (raw && size != chunkLength))
                    return LastError.Set(Status.Corrupted, $"document {id} version {v.Number}: chunk {ci} has an impossible size");
                int n = Math.Min(destination.Length, chunkLength - within);
                if (raw)
                {
                    var s = chains.Read(id, v, start + within, destination[..n], quick);
                    if (s != Status.Ok) return s;
                }
                else
                {
                    var s = chains.Read(id, v, start, stored.AsSpan(0, size), quick);
                    if (s != Status.Ok) return s;
                    // decode straight into the caller's buffer when it wants the whole chunk
                    bool direct = within == 0 && n == chunkLength;
                    Span<byte> target = direct ? destination[..n] : (plain ??= ArrayPool<byte>.Shared.Rent(C)).AsSpan(0, chunkLength);
                    s = Snappy.Decompress(stored.AsSpan(0, size), target, out int written);
                    if (s != Status.Ok || written != chunkLength)
                        return LastError.Set(Status.Corrupted, $"document {id} version {v.Number}: chunk {ci} does not decompress to {chunkLength} bytes");
                    if (!direct) target.Slice(within, n).CopyTo(destination);
                }
                destination = destination[n..];
                offset += n;
            }
            return Status.Ok;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
            if (plain is not null) ArrayPool<byte>.Shared.Return(plain);
        }
    }
}
