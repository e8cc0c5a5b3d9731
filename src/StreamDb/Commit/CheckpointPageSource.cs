using System.Buffers;
using StreamDb.Index;
using StreamDb.Pages;

namespace StreamDb.Commit;

/// <summary>
/// Reads the pages of a checkpoint written contiguously (<see cref="PageFlags.Contiguous"/>) by
/// their position: page n of the checkpoint is page head + n, and holds record bytes
/// n * capacity onwards. Each page is checked as an open checks the chain (CRC, kind, the
/// checkpoint's write id) and for its place in it: the flag, its links to its neighbours and a
/// full data area (but the last page's), so that a page that is not at its position is caught.
/// </summary>
internal sealed class CheckpointPageSource(PageIO io, long head, int pages, long bytes, ulong writeId) : IRecordPageSource
{
    public int BytesPerPage => MetaChain.Capacity(io.PageSize);

    public void Read(int first, int count, Span<byte> into)
    {
        int size = io.PageSize, cap = BytesPerPage;
        if (first < 0 || count < 0 || first > pages - count) throw new ArgumentOutOfRangeException(nameof(first));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(count * size);
        try
        {
            var run = buffer.AsSpan(0, count * size);
            io.ReadPages(head + first, run);
            for (int i = 0; i < count; i++)
            {
                int n = first + i;
                var why = Check(run.Slice(i * size, size), n, out var records);
                if (why is not null) throw new CheckpointDamagedException($"page {head + n} (#{n} of {pages}): {why}");
                records.CopyTo(into[(i * cap)..]);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private string? Check(ReadOnlySpan<byte> page, int n, out ReadOnlySpan<byte> records)
    {
        var why = MetaChain.Check(page, PageKind.Checkpoint, writeId, out var h, out _, out records);
        if (why is not null) return why;
        if ((h.Flags & PageFlags.Contiguous) == 0) return "not marked as part of a contiguous checkpoint";
        ulong prev = n == 0 ? 0 : (ulong)(head + n - 1), next = n == pages - 1 ? 0 : (ulong)(head + n + 1);
        if (h.Prev != prev || h.Next != next) return $"links {h.Prev} and {h.Next}, expected {prev} and {next}";
        long expected = n < pages - 1 ? BytesPerPage : bytes - (long)(pages - 1) * BytesPerPage;
        if (records.Length != expected) return $"holds {records.Length} record bytes, expected {expected}";
        return null;
    }
}
