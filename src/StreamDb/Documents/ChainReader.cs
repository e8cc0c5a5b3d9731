using System.Buffers;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Storage;
using StreamDb.Util;

namespace StreamDb.Documents;

/// <summary>
/// Reads byte ranges of one document version from its chain, checking every page it touches:
/// CRC (unless quick mode), kind, the version's stamp, the chain links and the payload length.
/// A page that fails gives Corrupted naming the page, never wrong bytes. Cached pages are
/// copied straight to the caller; misses are read in runs of consecutive pages, straight into the
/// caller's buffer for reads of a page or more, through the cache for
/// smaller ones. A packed tail whose pack page borders the run is read in the same request,
/// straight too (TailPacking.NextToChain); any other tail is read on its own.
/// </summary>
internal sealed class ChainReader(PageIO io)
{
    private const int MaxRunPages = 32;
    private readonly ChainGeometry geometry = new(io.PageSize);

    public ChainGeometry Geometry => geometry;

    /// <summary>Copies stored bytes [offset, offset + destination.Length) of <paramref name="v"/>.</summary>
    public Status Read(Guid id, in VersionInfo v, long offset, Span<byte> destination, bool quick)
    {
        if (offset < 0 || offset + destination.Length > v.StoredLength)
            return LastError.Set(Status.InvalidArgument, "read past the end of the document");
        long chainLength = v.ChainLength;
        // The part in the packed tail: read with the chain's run when its pack page lies next to
        // the run (TailPacking.NextToChain), else on its own after the chain.
        Span<byte> tailPart = default;
        int tailWithin = 0;
        bool tailPending = offset + destination.Length > chainLength;
        if (tailPending)
        {
            long from = Math.Max(offset, chainLength);
            tailWithin = (int)(from - chainLength);
            tailPart = destination[(int)(from - offset)..];
            destination = destination[..(int)Math.Max(0, chainLength - offset)];
        }
        Span<byte> header = stackalloc byte[PageHeader.Size];
        // A read of a page or more that misses goes from the device straight into the caller's
        // buffer (a vectored read: headers to scratch, payloads in place), bypassing the cache:
        // copying through a page buffer and the cache cost more than the read itself. Smaller
        // reads go through the cache, where the next small read finds them. (Read-ahead is the
        // streaming reader's: its window.)
        bool direct = destination.Length >= geometry.Capacity;
        long position = offset;
        while (destination.Length > 0)
        {
            var (index, within) = geometry.Locate(position);
            long pageId = v.PageAt(index);
            int pageLen = geometry.PayloadLength(index, chainLength);
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
            // Miss: read a run of consecutive pages covering what is still wanted.
            long wantPages = geometry.Locate(position + destination.Length - 1).Page - index + 1;
            int run = (int)Math.Min(Math.Min(wantPages, v.ContiguousFrom(index)), MaxRunPages);
            run = Math.Max(run, 1);
            long lastIndex = geometry.PagesFor(chainLength) - 1;
            run = (int)Math.Min(run, lastIndex - index + 1);
            int neighbour = tailPending ? TailNextTo(v, index, run, lastIndex) : 0;
            if (direct || neighbour != 0)
            {
                var s = ReadRunInPlace(id, v, index, within, run, destination, quick, out int copied, neighbour, tailPart);
                if (s != Status.Ok) return s;
                destination = destination[copied..];
                position += copied;
                if (neighbour != 0) tailPending = false;
                continue;
            }
            byte[] buffer = ArrayPool<byte>.Shared.Rent(run * io.PageSize);
            try
            {
                ReadRun(v, index, run, buffer.AsSpan(0, run * io.PageSize));
                for (int k = 0; k < run; k++)
                {
                    var page = buffer.AsSpan(k * io.PageSize, io.PageSize);
                    long pIndex = index + k;
                    if (!quick && !PageCrc.Check(page)) return Corrupt(id, v, pIndex, pageId + k, "CRC mismatch");
                    var s = CheckHeader(id, v, pIndex, pageId + k, PageHeader.Read(page));
                    if (s != Status.Ok) return s;
                    if (pIndex == 0)
                    {
                        s = CheckDocumentHeader(id, v, pageId, page[PageHeader.Size..]);
                        if (s != Status.Ok) return s;
                    }
                    // the run covers only wanted pages: each is cached and gives bytes
                    io.Cache.Insert(pageId + k, page, crcChecked: !quick);
                    var (_, w) = geometry.Locate(position);
                    int len = geometry.PayloadLength(pIndex, chainLength);
                    int m = Math.Min(destination.Length, len - w);
                    page.Slice(geometry.PayloadOffset(pIndex) + w, m).CopyTo(destination);
                    destination = destination[m..];
                    position += m;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        return tailPending ? ReadTail(id, v, tailWithin, tailPart, quick) : Status.Ok;
    }

    /// <summary>Whether the version's pack page lies right before a run starting at the chain's
    /// first page (-1) or right after a run ending at its last page (+1), so that one request
    /// reads both; 0 when not.</summary>
    private static int TailNextTo(in VersionInfo v, long index, int run, long lastIndex)
    {
        long tailPage = v.Tail.Page;
        if (index == 0 && tailPage == v.PageAt(0) - 1) return -1;
        if (index + run - 1 == lastIndex && tailPage == v.PageAt(lastIndex) + 1) return 1;
        return 0;
    }

    /// <summary>Bytes of chain page <paramref name="index"/> its CRC covers if it was written
    /// short-CRC, as the chain's geometry says (the page's own header is checked against it).</summary>
    private int Held(in VersionInfo v, long index) =>
        PageCrc.CoveredByData(index == 0, geometry.PayloadLength(index, v.ChainLength));

    /// <summary>Reads <paramref name="run"/> whole consecutive pages into <paramref name="pages"/>,
    /// but of the last page only the bytes it holds unless its CRC covers more (a page written
    /// before short CRCs); the unread tail is zeroed so no stale buffer bytes reach the cache.</summary>
    private void ReadRun(in VersionInfo v, long index, int run, Span<byte> pages)
    {
        int pageSize = io.PageSize;
        int held = Held(v, index + run - 1);
        io.ReadPages(v.PageAt(index), pages[..((run - 1) * pageSize + held)]);
        var last = pages[((run - 1) * pageSize)..];
        if (held == pageSize) return;
        // a CRC over more than the page holds (written before short CRCs, or a damaged length):
        // read the rest, and the whole-page check decides
        if (PageCrc.Covered(last, pageSize) == held) last[held..].Clear();
        else io.ReadWithin(v.PageAt(index + run - 1), held, last[held..]);
    }

    /// <summary>
    /// Reads <paramref name="run"/> consecutive pages from chain page <paramref name="index"/> in
    /// one vectored read: the bytes before the wanted payload of each page (its header, the
    /// document header, skipped payload) go to scratch, the wanted payload straight to
    /// <paramref name="destination"/>, the rest of what the last page holds to scratch; then
    /// every page is checked as a whole, CRC over its three pieces (the last page's zero tail is
    /// read only when its CRC covers it: a page written before short CRCs). The run never extends past the last page
    /// wanted, so only its first page can start and only its last page can end mid-page.
    /// With <paramref name="neighbour"/> -1 (+1) the version's pack page lies right before
    /// (after) the run and the same request reads its packed tail: the bytes between go to
    /// scratch, the fragment to scratch, checked as a whole, and its first
    /// <paramref name="tailPart"/>.Length bytes are copied to <paramref name="tailPart"/> (a read
    /// that reaches into the chain wants the tail from its start).
    /// On an error the destination holds unchecked bytes; the caller reports the error.
    /// </summary>
    private unsafe Status ReadRunInPlace(Guid id, in VersionInfo v, long index, int within, int run, Span<byte> destination, bool quick, out int copied,
        int neighbour = 0, Span<byte> tailPart = default)
    {
        copied = 0;
        int pageSize = io.PageSize;
        var t = v.Tail;
        int fragmentSize = neighbour == 0 ? 0 : TailFragment.SizeFor(t.Length);
        int fragmentAt = PageHeader.Size + t.Offset; // within its pack page
        if (neighbour != 0 && fragmentAt + fragmentSize > pageSize) return TailCorrupt(id, v, "lies past the end of its pack page");
        // scratch: [0, pageSize) the first page's head; [pageSize, 2 * pageSize) the last page's
        // tail; then a HeadSlot per later page for its header (and document header); then a
        // page for the bytes between the run and a neighbouring tail, then the tail's fragment
        int skipAt = 2 * pageSize + run * HeadSlot;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(skipAt + (neighbour == 0 ? 0 : pageSize + fragmentSize));
        Span<IoSegment> segments = stackalloc IoSegment[3 * MaxRunPages + 4];
        Span<int> heads = stackalloc int[MaxRunPages];
        Span<int> middles = stackalloc int[MaxRunPages];
        try
        {
            fixed (byte* dst = destination)
            fixed (byte* scr = scratch)
            {
                int count = 0, taken = 0, tailLength = 0;
                byte* skip = scr + skipAt, fragment = skip + pageSize;
                if (neighbour < 0)
                {
                    // the pack page before the run: up to the fragment, the fragment, the rest
                    if (fragmentAt > 0) segments[count++] = new IoSegment(skip, fragmentAt);
                    segments[count++] = new IoSegment(fragment, fragmentSize);
                    if (pageSize - fragmentAt - fragmentSize > 0) segments[count++] = new IoSegment(skip, pageSize - fragmentAt - fragmentSize);
                }
                for (int k = 0; k < run; k++)
                {
                    long pIndex = index + k;
                    int w = k == 0 ? within : 0;
                    int head = geometry.PayloadOffset(pIndex) + w;
                    int middle = Math.Min(destination.Length - taken, geometry.PayloadLength(pIndex, v.ChainLength) - w);
                    if (middle <= 0) return Corrupt(id, v, pIndex, v.PageAt(pIndex), "chain shorter than the document");
                    byte* headAt = k == 0 ? scr : scr + 2 * pageSize + k * HeadSlot;
                    segments[count++] = new IoSegment(headAt, head);
                    segments[count++] = new IoSegment(dst + taken, middle);
                    heads[k] = head;
                    middles[k] = middle;
                    taken += middle;
                    if (k != run - 1)
                    {
                        if (head + middle != pageSize) return Corrupt(id, v, pIndex, v.PageAt(pIndex), "a page inside the chain is not full");
                        continue;
                    }
                    // the last page: the rest of what it holds (a ranged read may end before
                    // that), not its zero tail, which a short CRC does not cover
                    tailLength = Held(v, pIndex) - head - middle;
                    if (tailLength > 0) segments[count++] = new IoSegment(scr + pageSize, tailLength);
                }
                if (neighbour > 0)
                {
                    // the rest of the last page (nothing: a chain whose tail is packed ends in a
                    // full page), then the pack page up to the fragment, both to the same scratch
                    // page: nothing checks them
                    int rest = pageSize - Held(v, index + run - 1);
                    if (rest > 0) segments[count++] = new IoSegment(skip, rest);
                    if (fragmentAt > 0) segments[count++] = new IoSegment(skip, fragmentAt);
                    segments[count++] = new IoSegment(fragment, fragmentSize);
                }
                io.ReadPagesScattered(neighbour < 0 ? t.Page : v.PageAt(index), segments[..count]);
                int at = 0;
                for (int k = 0; k < run; k++)
                {
                    long pIndex = index + k;
                    long pageId = v.PageAt(pIndex);
                    var head = new ReadOnlySpan<byte>(k == 0 ? scr : scr + 2 * pageSize + k * HeadSlot, heads[k]);
                    var middle = destination.Slice(at, middles[k]);
                    at += middles[k];
                    int tail = k == run - 1 ? tailLength : 0;
                    int held = heads[k] + middles[k] + tail;
                    if (!quick && held < pageSize && PageCrc.Covered(head, pageSize) != held)
                    {
                        // the same rule as ReadRun: a CRC over more than the page holds (written
                        // before short CRCs, or a damaged length) is checked over the whole page
                        io.ReadWithin(pageId, held, new Span<byte>(scr + pageSize + tail, pageSize - held));
                        tail = pageSize - heads[k] - middles[k];
                    }
                    if (!quick && !Crc32C.Check(head, middle, new ReadOnlySpan<byte>(scr + pageSize, tail))) return Corrupt(id, v, pIndex, pageId, "CRC mismatch");
                    var s = CheckHeader(id, v, pIndex, pageId, PageHeader.Read(head));
                    if (s != Status.Ok) return s;
                    if (pIndex == 0)
                    {
                        s = CheckDocumentHeader(id, v, pageId, head[PageHeader.Size..]);
                        if (s != Status.Ok) return s;
                    }
                }
                if (neighbour != 0)
                {
                    var frame = new ReadOnlySpan<byte>(fragment, fragmentSize);
                    string? why = TailFragment.Check(frame, v.WriteId, t.Length, checkCrc: !quick);
                    if (why is not null) return TailCorrupt(id, v, why);
                    frame.Slice(TailFragment.HeaderSize, tailPart.Length).CopyTo(tailPart);
                }
                copied = taken;
                return Status.Ok;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Copies bytes [within, within + destination.Length) of the version's packed tail:
    /// reads the whole fragment (its CRC covers it all, not the rest of the pack page) straight
    /// from the device and checks that it is this version's.</summary>
    private Status ReadTail(Guid id, in VersionInfo v, int within, Span<byte> destination, bool quick)
    {
        var t = v.Tail;
        int size = TailFragment.SizeFor(t.Length);
        byte[]? rented = null;
        Span<byte> fragment = size <= 1024 ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size)).AsSpan(0, size);
        try
        {
            var s = ReadFragment(id, v, fragment, quick);
            if (s != Status.Ok) return s;
            fragment.Slice(TailFragment.HeaderSize + within, destination.Length).CopyTo(destination);
            return Status.Ok;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private Status ReadFragment(Guid id, in VersionInfo v, Span<byte> fragment, bool quick)
    {
        var t = v.Tail;
        if (PageHeader.Size + t.Offset + fragment.Length > io.PageSize)
            return TailCorrupt(id, v, "lies past the end of its pack page");
        io.ReadWithin(t.Page, PageHeader.Size + t.Offset, fragment);
        string? why = TailFragment.Check(fragment, v.WriteId, t.Length, checkCrc: !quick);
        return why is null ? Status.Ok : TailCorrupt(id, v, why);
    }

    /// <summary>Checks a version's packed tail completely from the device (open and verify use
    /// it): a read of none of its bytes still reads and checks the whole fragment.</summary>
    public Status CheckTail(Guid id, in VersionInfo v) =>
        v.Tail.IsPresent ? ReadTail(id, v, 0, [], quick: false) : Status.Ok;

    private static Status TailCorrupt(Guid id, in VersionInfo v, string what) =>
        LastError.Set(Status.Corrupted, $"document {id} version {v.Number}: packed tail in page {v.Tail.Page} at {v.Tail.Offset}: {what}");

    // room for a page header and a document header
    private const int HeadSlot = 128;

    private static Status CheckDocumentHeader(Guid id, in VersionInfo v, long pageId, ReadOnlySpan<byte> documentHeader)
    {
        var dh = DocumentHeader.Read(documentHeader);
        if (dh.Id != id || dh.Number != v.Number || dh.Length != v.Length || dh.StoredLength != v.StoredLength || dh.WriteId != v.WriteId)
            return Corrupt(id, v, 0, pageId, "document header does not match the index");
        return Status.Ok;
    }

    /// <summary>Checks one page of the chain completely (verify uses it; bypasses the cache).</summary>
    public Status CheckPage(Guid id, in VersionInfo v, long index, ReadOnlySpan<byte> page)
    {
        long pageId = v.PageAt(index);
        if (!PageCrc.Check(page)) return Corrupt(id, v, index, pageId, "CRC mismatch");
        var s = CheckHeader(id, v, index, pageId, PageHeader.Read(page));
        if (s != Status.Ok) return s;
        return index == 0 ? CheckDocumentHeader(id, v, pageId, page[PageHeader.Size..]) : Status.Ok;
    }

    private Status CheckHeader(Guid id, in VersionInfo v, long index, long pageId, PageHeader h)
    {
        long last = geometry.PagesFor(v.ChainLength) - 1;
        if (h.Kind != PageKind.Data) return Corrupt(id, v, index, pageId, $"page kind {h.Kind}, expected data");
        if (h.Stamp != v.Stamp) return Corrupt(id, v, index, pageId, "stamp belongs to another write (stale or misplaced page)");
        if (((h.Flags & PageFlags.First) != 0) != (index == 0)) return Corrupt(id, v, index, pageId, "first-page flag wrong");
        ulong prev = index == 0 ? 0 : (ulong)v.PageAt(index - 1);
        ulong next = index == last ? 0 : (ulong)v.PageAt(index + 1);
        if (h.Prev != prev || h.Next != next) return Corrupt(id, v, index, pageId, $"chain links {h.Prev}/{h.Next}, expected {prev}/{next}");
        if (h.DataLength != geometry.PayloadLength(index, v.ChainLength)) return Corrupt(id, v, index, pageId, $"data length {h.DataLength} wrong");
        return Status.Ok;
    }

    private static Status Corrupt(Guid id, in VersionInfo v, long index, long pageId, string what) =>
        LastError.Set(Status.Corrupted, $"document {id} version {v.Number}: page {pageId} (#{index} of its chain): {what}");
}
