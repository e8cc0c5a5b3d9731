using StreamDb.Documents;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Engine;

/// <summary>
/// Finds which pages a loaded state uses (every version's chain and pack page, and the index's
/// own pages), so that the rest of the file is free, and checks the state on the way: no page
/// used twice or outside the file, no pack page claimed by more tails than fit, and a checkpoint
/// loaded from its tables decoded in full and matched against them. This is the part of an
/// open that grows with the database (20-27 ms for 100,000 documents); only writers need its
/// result, so the engine runs it when the first allocation (or stats, verify) needs it, on
/// that caller's thread, while reads go on beside it.
/// Reads nothing but the immutable state it is given, and makes all of its checkpoint's pages
/// present (see <see cref="CheckpointBase.CheckRecords"/>). It allocates little on purpose: a
/// large allocation here started a full collection that paused the reads running beside it,
/// about 1 ms of a 1 ms open and read (each document's list of paths, 1.2 MB for 100,000 paths, is
/// therefore left to <see cref="CheckpointBase.Doc"/>, which builds it when documents' paths are
/// asked for often).
/// </summary>
internal sealed class PageUseScan
{
    private PageUseScan(PageBitmap used, PackCounts packs, string? problem)
    {
        Used = used;
        Packs = packs;
        Problem = problem;
    }

    public PageBitmap Used { get; }
    /// <summary>How many versions have their tail in each pack page.</summary>
    public PackCounts Packs { get; }
    /// <summary>What is wrong with the state, or null; when set, the other results are partial.</summary>
    public string? Problem { get; }

    /// <summary>Scans <paramref name="state"/> in a file of <paramref name="pageCount"/> pages
    /// whose index occupies <paramref name="indexPages"/>. What it finds wrong is its
    /// <see cref="Problem"/>; it throws only IOException, when the device fails while it reads
    /// checkpoint pages an open left unread: that says nothing about the state, so the caller
    /// reports it and the scan is run again later.</summary>
    public static PageUseScan Run(DbState state, long pageCount, long[] indexPages, int pageSize, int maxPathBytes)
    {
        var used = new PageBitmap(pageCount);
        var packs = new PackCounts();
        try
        {
            return new PageUseScan(used, packs, Scan(state, pageCount, indexPages, pageSize, maxPathBytes, used, packs));
        }
        catch (FormatException e)
        {
            return new PageUseScan(used, packs, "checkpoint records: " + e.Message);
        }
        catch (Exception e) when (e is not IOException)
        {
            // a bug, not the file: still reported (writes stop, reads go on), never thrown
            return new PageUseScan(used, packs, $"scanning the pages in use failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private static string? Scan(DbState state, long pageCount, long[] indexPages, int pageSize, int maxPathBytes, PageBitmap used, PackCounts packs)
    {
        used.TrySet(0);
        // a fragment takes at least its 16-byte frame: more versions in one pack page than that is damage
        int maxTailsPerPack = (pageSize - PageHeader.Size) / TailFragment.HeaderSize;
        string? Use(Guid id, long number, ReadOnlySpan<Extent> extents, TailRef tail)
        {
            foreach (var e in extents)
            {
                if (e.Start < 1 || e.End > pageCount) return $"document {id} version {number} uses pages outside the file";
                for (long p = e.Start; p < e.End; p++)
                {
                    if (!used.TrySet(p)) return $"page {p} is used twice (document {id})";
                }
            }
            // A pack page is shared by the versions with a tail in it, and by nothing else.
            if (!tail.IsPresent) return null;
            long pack = tail.Page;
            if (pack < 1 || pack >= pageCount) return $"document {id} version {number} has its tail outside the file";
            int n = packs.Increment(pack);
            if (n >= maxTailsPerPack) return $"page {pack} holds more packed tails than fit in a page (document {id})";
            if (n == 0)
            {
                if (!used.TrySet(pack)) return $"page {pack} is used twice (the tail of document {id})";
            }
            return null;
        }
        // What Use did for a checkpoint version that a commit since has dropped.
        void Unuse(ReadOnlySpan<Extent> extents, TailRef tail)
        {
            foreach (var e in extents)
                for (long p = e.Start; p < e.End; p++) used.Clear(p);
            if (!tail.IsPresent) return;
            if (packs.Add(tail.Page, -1) == 0) used.Clear(tail.Page);
        }

        var docs = state.Docs;
        var checkpoint = docs.Checkpoint;
        if (checkpoint is not null)
        {
            checkpoint.CheckRecords(maxPathBytes, (in VersionFields v) =>
            {
                if (Use(v.Id, v.Number, v.Extents, v.Tail) is { } bad) throw new FormatException(bad);
            });
            // Documents commits changed since the checkpoint: their checkpoint versions are taken
            // back, then the versions those commits left are marked.
            foreach (var id in docs.ChangedIds())
            {
                int k = checkpoint.FindDoc(id);
                if (k < 0) continue;
                var versions = checkpoint.Versions(k);
                while (versions.Next(out var v)) Unuse(v.Extents, v.Tail);
            }
        }
        foreach (long id in indexPages)
        {
            if (id < 1 || id >= pageCount) return $"index page {id} is outside the file";
            if (!used.TrySet(id)) return $"page {id} is used twice (the index)";
        }
        foreach (var doc in docs.Changed())
        foreach (var v in doc.Versions)
        {
            if (Use(doc.Id, v.Number, v.Extents, v.Tail) is { } bad) return bad;
        }
        return null;
    }
}
