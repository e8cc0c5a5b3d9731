using System.Buffers;
using System.Collections;
using StreamDb.Index;
using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Engine;

/// <summary>
/// Walks everything a committed state uses, from the device (never the cache): every page of
/// every kept version (CRC, kind, stamp, links, lengths, document header), the index's own
/// pages, that no page is used twice or lies outside the file or is free to the allocator,
/// that paths and documents agree, and that the page counts add up. Reports the first problem as Corrupted.
/// </summary>
internal static class Verifier
{
    public static Status Run(StorageEngine engine, DbState? snapshot)
    {
        if (engine.PagesInUseProblem() is { } problem) return Bad(problem);
        if (snapshot is not null)
        {
            var pinned = engine.PinAgain(snapshot);
            try
            {
                var (high, meta, ids) = engine.Layout();
                return Check(engine, pinned, high, meta, ids, packPages: -1);
            }
            finally { engine.Unpin(pinned); }
        }
        var (state, highWater, metaPages, metaIds, packPages) = engine.PinHeadWithLayout();
        try
        {
            return Check(engine, state, highWater, metaPages, metaIds, packPages);
        }
        finally
        {
            engine.Unpin(state);
        }
    }

    // packPages: how many pack pages the engine counts for this state; -1 for a snapshot, whose
    // counts are not the engine's (the page totals are then not compared).
    private static Status Check(StorageEngine engine, DbState state, long high, long metaPages, long[] metaIds, long packPages)
    {
        bool checkCounts = packPages >= 0;
        var packs = new HashSet<long>();
        var used = new BitArray(checked((int)Math.Max(high, 1)));
        used[0] = true;
        int pageSize = engine.PageSize;
        byte[] page = ArrayPool<byte>.Shared.Rent(pageSize);
        try
        {
            var span = page.AsSpan(0, pageSize);
            foreach (long id in metaIds)
            {
                if (id < 1 || id >= high) return Bad($"index page {id} lies outside the file's {high} pages");
                if (used[(int)id]) return Bad($"index page {id} is used twice");
                used[(int)id] = true;
                engine.IO.ReadPages(id, span);
                if (!PageCrc.Check(span)) return Bad($"index page {id}: CRC mismatch");
            }
            long dataPages = 0;
            foreach (var doc in state.Docs.Values)
            {
                if (doc.Versions.Length == 0) return Bad($"document {doc.Id} has no version");
                for (int i = 0; i < doc.Versions.Length; i++)
                {
                    var v = doc.Versions[i];
                    if (i > 0 && v.Number >= doc.Versions[i - 1].Number) return Bad($"document {doc.Id}: versions out of order");
                    var g = engine.Reader.Geometry;
                    if (v.Tail.IsPresent
                            ? v.Info.ChainLength != (v.PageCount == 0 ? 0 : g.FirstCapacity + (v.PageCount - 1) * g.Capacity)
                            : v.PageCount != g.PagesFor(v.StoredLength))
                        return Bad($"document {doc.Id} version {v.Number}: {v.PageCount} pages for {v.StoredLength} bytes ({v.Tail.Length} in its packed tail)");
                    if (v.Tail.IsPresent)
                    {
                        long p = v.Tail.Page;
                        if (p < 1 || p >= high) return Bad($"document {doc.Id} version {v.Number}: packed tail in page {p}, outside the file");
                        if (packs.Add(p))
                        {
                            if (used[(int)p]) return Bad($"page {p} is used twice (the packed tail of document {doc.Id} version {v.Number})");
                            used[(int)p] = true;
                            engine.IO.ReadPages(p, span);
                            var h = PageHeader.Read(span);
                            if (h.Kind != PageKind.Pack || !PageCrc.Check(span)) return Bad($"pack page {p}: not a pack page, or its CRC does not match");
                        }
                        var st = engine.Reader.CheckTail(doc.Id, in v.Info);
                        if (st != Status.Ok) return st;
                    }
                    dataPages += v.PageCount;
                    foreach (var e in v.Extents)
                    {
                        if (e.Start < 1 || e.Count < 1 || e.End > high) return Bad($"document {doc.Id} version {v.Number}: pages {e.Start}..{e.End - 1} outside the file");
                        for (long p = e.Start; p < e.End; p++)
                        {
                            if (used[(int)p]) return Bad($"page {p} is used twice (document {doc.Id} version {v.Number})");
                            used[(int)p] = true;
                        }
                    }
                    for (long k = 0; k < v.PageCount; k++)
                    {
                        engine.IO.ReadPages(v.Info.PageAt(k), span);
                        var s = engine.Reader.CheckPage(doc.Id, in v.Info, k, span);
                        if (s != Status.Ok) return s;
                    }
                    if (v.IsCompressed)
                    {
                        // every chunk must decode to its size
                        var s = CheckChunks(engine, doc.Id, v);
                        if (s != Status.Ok) return s;
                    }
                }
                foreach (var path in doc.Paths.All())
                {
                    if (!state.Paths.TryGetValue(path, out var bound) || bound != doc.Id)
                        return Bad($"document {doc.Id} lists path '{PathText.Show(path)}' that is not bound to it");
                }
            }
            long pathCount = 0;
            foreach (var (path, id) in state.Paths.All())
            {
                pathCount++;
                if (!state.Docs.TryGetValue(id, out var doc)) return Bad($"path '{PathText.Show(path)}' is bound to missing document {id}");
                if (!doc.Paths.ContainsKey(path)) return Bad($"path '{PathText.Show(path)}' is missing from document {id}'s paths");
                if (PathRules.Validate(path) != Status.Ok) return Bad($"invalid path stored: {LastError.Message}");
            }
            if (pathCount != state.Paths.Count) return Bad("path count mismatch");
            // A page in use that the allocator also holds as free would be handed to the next
            // write and overwritten. A pinned state's pages are never free (those later commits
            // drop wait until no pinned state is older), so this holds while writers run.
            foreach (var e in engine.FreeExtents())
                for (long p = e.Start; p < Math.Min(e.End, used.Length); p++)
                    if (used[(int)p]) return Bad($"page {p} is in use but the allocator holds it as free");
            if (dataPages != state.DataPages) return Bad($"data page count {state.DataPages} but versions hold {dataPages}");
            if (checkCounts)
            {
                long usedCount = 0;
                for (int i = 0; i < used.Length; i++) if (used[i]) usedCount++;
                if (packPages != packs.Count) return Bad($"pack page count {packPages} but versions use {packs.Count}");
                long free = high - 1 - state.DataPages - metaPages - packPages;
                if (free != high - usedCount) return Bad($"free page count {free} but {high - usedCount} pages are unused");
                if (metaPages != metaIds.Length) return Bad("index page count mismatch");
            }
            LastError.Clear();
            return Status.Ok;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(page);
        }
    }

    private static Status CheckChunks(StorageEngine engine, Guid id, DocVersion v)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DocVersion.ChunkSize);
        try
        {
            for (long off = 0; off < v.Length; off += DocVersion.ChunkSize)
            {
                int n = (int)Math.Min(DocVersion.ChunkSize, v.Length - off);
                var s = engine.Content.Read(id, in v.Info, off, buffer.AsSpan(0, n), quick: false);
                if (s != Status.Ok) return s;
            }
            return Status.Ok;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Status Bad(string what) => LastError.Set(Status.Corrupted, what);
}
