using System.Buffers;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Documents;

/// <summary>
/// Reads byte ranges of one document version from its chain, checking every page it touches:
/// CRC (unless quick mode), kind, the version's stamp, the chain links and the payload length.
/// A page that fails gives Corrupted naming the page, never wrong bytes. Cached pages are
/// copied straight to the caller; misses are read in runs of consecutive pages (read-ahead
/// past the requested range warms the cache for the next sequential read).
/// </summary>
internal sealed class ChainReader(PageIO io)
{
    private const int MaxRunPages = 32;
    private readonly ChainGeometry geometry = new(io.PageSize);

    public ChainGeometry Geometry => geometry;

    /// <summary>Copies stored bytes [offset, offset + destination.Length) of <paramref name="v"/>.
    /// <paramref name="readAhead"/> more pages are loaded into the cache on a miss.</summary>
    public Status Read(Guid id, DocVersion v, long offset, Span<byte> destination, bool quick, int readAhead)
    {
        if (offset < 0 || offset + destination.Length > v.StoredLength)
            return LastError.Set(Status.InvalidArgument, "read past the end of the document");
        Span<byte> header = stackalloc byte[PageHeader.Size];
        // Small and streamed reads go through the cache; a large whole-document read does not
        // (it would evict everything else for pages it will not read again soon).
        bool fillCache = destination.Length <= 64 * geometry.Capacity || readAhead > 0;
        long position = offset;
        while (destination.Length > 0)
        {
            var (index, within) = geometry.Locate(position);
            long pageId = v.PageAt(index);
            int pageLen = geometry.PayloadLength(index, v.StoredLength);
            int n = Math.Min(destination.Length, pageLen - within);
            if (n <= 0) return Corrupt(id, v, index, pageId, "chain shorter than the document");
            int payloadOffset = geometry.PayloadOffset(index);
            if (io.Cache.TryRead(pageId, header, payloadOffset + within, destination[..n], needChecked: !quick))
            {
                var s = CheckHeader(id, v, index, pageId, PageHeader.Read(header));
                if (s != Status.Ok) return s;
                destination = destination[n..];
                position += n;
                continue;
            }
            // Miss: read a run of consecutive pages covering what is still wanted plus read-ahead.
            long wantPages = geometry.Locate(position + destination.Length - 1).Page - index + 1 + readAhead;
            int run = (int)Math.Min(Math.Min(wantPages, v.ContiguousFrom(index)), MaxRunPages);
            run = Math.Max(run, 1);
            long lastIndex = geometry.PagesFor(v.StoredLength) - 1;
            run = (int)Math.Min(run, lastIndex - index + 1);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(run * io.PageSize);
            try
            {
                io.ReadPages(pageId, buffer.AsSpan(0, run * io.PageSize));
                for (int k = 0; k < run; k++)
                {
                    var page = buffer.AsSpan(k * io.PageSize, io.PageSize);
                    long pIndex = index + k;
                    if (!quick && !Crc32C.Check(page)) return Corrupt(id, v, pIndex, pageId + k, "CRC mismatch");
                    var s = CheckHeader(id, v, pIndex, pageId + k, PageHeader.Read(page));
                    if (s != Status.Ok) return s;
                    if (pIndex == 0)
                    {
                        var dh = DocumentHeader.Read(page[PageHeader.Size..]);
                        if (dh.Id != id || dh.Number != v.Number || dh.StoredLength != v.StoredLength || dh.WriteId != v.WriteId)
                            return Corrupt(id, v, 0, pageId, "document header does not match the index");
                    }
                    bool wanted = destination.Length > 0;
                    if (fillCache || !wanted) io.Cache.Insert(pageId + k, page, crcChecked: !quick);
                    if (wanted)
                    {
                        var (_, w) = geometry.Locate(position);
                        int len = geometry.PayloadLength(pIndex, v.StoredLength);
                        int m = Math.Min(destination.Length, len - w);
                        page.Slice(geometry.PayloadOffset(pIndex) + w, m).CopyTo(destination);
                        destination = destination[m..];
                        position += m;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        return Status.Ok;
    }

    /// <summary>Checks one page of the chain completely (verify uses it; bypasses the cache).</summary>
    public Status CheckPage(Guid id, DocVersion v, long index, ReadOnlySpan<byte> page)
    {
        long pageId = v.PageAt(index);
        if (!Crc32C.Check(page)) return Corrupt(id, v, index, pageId, "CRC mismatch");
        var s = CheckHeader(id, v, index, pageId, PageHeader.Read(page));
        if (s != Status.Ok) return s;
        if (index == 0)
        {
            var dh = DocumentHeader.Read(page[PageHeader.Size..]);
            if (dh.Id != id || dh.Number != v.Number || dh.Length != v.Length || dh.StoredLength != v.StoredLength || dh.WriteId != v.WriteId)
                return Corrupt(id, v, 0, pageId, "document header does not match the index");
        }
        return Status.Ok;
    }

    private Status CheckHeader(Guid id, DocVersion v, long index, long pageId, PageHeader h)
    {
        long last = geometry.PagesFor(v.StoredLength) - 1;
        if (h.Kind != PageKind.Data) return Corrupt(id, v, index, pageId, $"page kind {h.Kind}, expected data");
        if (h.Stamp != v.Stamp) return Corrupt(id, v, index, pageId, "stamp belongs to another write (stale or misplaced page)");
        if (((h.Flags & PageFlags.First) != 0) != (index == 0)) return Corrupt(id, v, index, pageId, "first-page flag wrong");
        ulong prev = index == 0 ? 0 : (ulong)v.PageAt(index - 1);
        ulong next = index == last ? 0 : (ulong)v.PageAt(index + 1);
        if (h.Prev != prev || h.Next != next) return Corrupt(id, v, index, pageId, $"chain links {h.Prev}/{h.Next}, expected {prev}/{next}");
        if (h.DataLength != geometry.PayloadLength(index, v.StoredLength)) return Corrupt(id, v, index, pageId, $"data length {h.DataLength} wrong");
        return Status.Ok;
    }

    private static Status Corrupt(Guid id, DocVersion v, long index, long pageId, string what) =>
        LastError.Set(Status.Corrupted, $"document {id} version {v.Number}: page {pageId} (#{index} of its chain): {what}");
}
