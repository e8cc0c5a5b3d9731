using System.Runtime.CompilerServices;
using StreamDb.Util;

namespace StreamDb.Index;

/// <summary>Reads runs of a checkpoint's pages for <see cref="RecordPages"/>: the layer below
/// (the commit layer) knows where they are and how a page is checked.</summary>
internal interface IRecordPageSource
{
    /// <summary>Record bytes on every page but the last.</summary>
    int BytesPerPage { get; }

    /// <summary>Reads the checkpoint's pages <paramref name="first"/> .. first + count - 1
    /// (positions in the checkpoint), checks each, and copies their record bytes to
    /// <paramref name="into"/> (exactly what they hold). Copies nothing of a page that fails its
    /// check. Throws <see cref="CheckpointDamagedException"/> for a page that is not the one
    /// expected, IOException when the device fails.</summary>
    void Read(int first, int count, Span<byte> into);
}

/// <summary>
/// A checkpoint's record bytes, in one array, each page's share read the first time something
/// asks for it. An open of a 100,000-path database used to read, check and copy all 7 MB of its
/// checkpoint before its first lookup (6 of its 6.5 ms); a lookup needs about twenty of its
/// 900 pages. Which pages are present is a bitmap; once all are (the engine's scan of the
/// pages in use asks for all of them before the first write, see <see cref="EnsureAll"/>), a check is one
/// flag. Built without a source, the bytes are all present from the start.
/// Thread-safe without a lock: two threads that both find a page missing both read it and
/// copy the same checked bytes to the same place; a page's bit is set only after its bytes are
/// in place, and nothing reads a page's bytes before seeing its bit.
/// </summary>
internal sealed class RecordPages
{
    // Pages asked for at once at most (a missing run longer than this is read in parts): about
    // 60 KiB of record bytes, so that a run's buffer stays below the large-object threshold
    // (85,000 bytes). The scan that reads every page (EnsureAll) renting 512 KB started a full
    // collection that paused the reads running beside it.
    private readonly int maxRun;

    private readonly IRecordPageSource? source;
    private readonly int perPage;
    private readonly int pageCount;
    private readonly ulong[]? present;
    private int presentCount;
    private volatile bool complete;

    /// <summary>Bytes all present (a checkpoint just written, or read whole).</summary>
    public RecordPages(byte[] bytes)
    {
        Bytes = bytes;
        complete = true;
    }

    /// <summary>Bytes read from <paramref name="source"/> as they are asked for;
    /// <paramref name="length"/> is the checkpoint's record bytes.</summary>
    public RecordPages(int length, IRecordPageSource source)
    {
        this.source = source;
        perPage = source.BytesPerPage;
        if (perPage <= 0) throw new ArgumentOutOfRangeException(nameof(source), "a page must hold record bytes");
        // the array is not touched here: the OS makes its memory resident only where pages land
        Bytes = GC.AllocateUninitializedArray<byte>(length);
        pageCount = (int)(((long)length + perPage - 1) / perPage);
        maxRun = Math.Max(1, 60 * 1024 / perPage);
        present = new ulong[(pageCount + 63) >> 6];
        complete = pageCount == 0;
    }

    /// <summary>The record bytes. Only a range <see cref="Ensure"/> returned for may be read.</summary>
    public byte[] Bytes { get; }

    public int Length => Bytes.Length;

    /// <summary>Whether every page is present.</summary>
    public bool Complete => complete;

    /// <summary>Pages read so far (all of them when built without a source).</summary>
    public int PagesPresent => present is null ? 0 : Volatile.Read(ref presentCount);

    /// <summary>Makes bytes <paramref name="offset"/> .. offset + length - 1 present. Throws
    /// <see cref="CheckpointDamagedException"/> when the range is outside the records (the
    /// checkpoint's own offsets said so: damage) or a page fails its check, IOException when
    /// the device fails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ensure(int offset, int length)
    {
        if ((uint)offset > (uint)Bytes.Length || (uint)length > (uint)(Bytes.Length - offset))
            throw new CheckpointDamagedException($"bytes {offset}..{(long)offset + length} are outside the checkpoint's {Bytes.Length}");
        if (complete || length == 0) return;
        Load(offset / perPage, (offset + length - 1) / perPage);
    }

    /// <summary>Makes every page present, reading the missing ones in long runs.</summary>
    public void EnsureAll()
    {
        if (complete) return;
        Load(0, pageCount - 1);
    }

    private void Load(int first, int last)
    {
        int p = first;
        while (p <= last)
        {
            if (IsPresent(p))
            {
                p++;
                continue;
            }
            int end = p + 1;
            while (end <= last && end - p < maxRun && !IsPresent(end)) end++;
            ReadRun(p, end - p);
            p = end;
        }
    }

    private bool IsPresent(int page) => (Volatile.Read(ref present![page >> 6]) & (1UL << page)) != 0;

    private void ReadRun(int first, int count)
    {
        int start = first * perPage;
        // straight into the array: the source copies only checked bytes, so bytes another
        // thread already made present (and may be reading) are only ever rewritten with themselves
        source!.Read(first, count, Bytes.AsSpan(start, Math.Min(count * perPage, Bytes.Length - start)));
        int added = 0;
        for (int page = first; page < first + count; page++)
        {
            ulong bit = 1UL << page;
            if ((Interlocked.Or(ref present![page >> 6], bit) & bit) == 0) added++;
        }
        if (Interlocked.Add(ref presentCount, added) == pageCount) complete = true;
    }
}
