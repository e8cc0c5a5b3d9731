using System.Buffers;

namespace StreamDb.Index;

/// <summary>
/// Every <see cref="Spacing"/>-th path of a checkpoint, copied into one small array, so that a
/// lookup narrows its binary search to one run of <see cref="Spacing"/> paths before it touches
/// the checkpoint's bytes. A plain binary search over 100,000 paths makes 17 probes, each two
/// cache misses far apart in 9 MB of records (the path's offset, then its bytes): a fifth of a
/// random 8-12 KB read in a profile; a lookup alone went from about 1.0 to 0.75 us. The fences take about (path length + 4) / Spacing bytes
/// a path and stay in the processor's caches; the run they leave is a few hundred bytes of
/// offsets and records that lie together. Immutable.
/// </summary>
internal sealed class PathFences
{
    public const int Spacing = 32;

    /// <summary>Path <paramref name="j"/>'s bytes, in byte order of paths.</summary>
    public delegate ReadOnlySpan<byte> PathSource(int j);

    private readonly byte[] keys;  // the fences' bytes, one after another
    private readonly int[] ends;   // where fence i's bytes end in keys (it starts where i - 1's end)
    private readonly int pathCount;

    private PathFences(byte[] keys, int[] ends, int pathCount)
    {
        this.keys = keys;
        this.ends = ends;
        this.pathCount = pathCount;
    }

    /// <summary>Copies every <see cref="Spacing"/>-th of <paramref name="pathCount"/> paths, path j
    /// being <paramref name="pathAt"/>(j).</summary>
    public static PathFences Build(int pathCount, PathSource pathAt)
    {
        var ends = new int[(pathCount + Spacing - 1) / Spacing];
        var keys = new ArrayBufferWriter<byte>();
        for (int i = 0; i < ends.Length; i++)
        {
            keys.Write(pathAt(i * Spacing));
            ends[i] = keys.WrittenCount;
        }
        return new PathFences(keys.WrittenSpan.ToArray(), ends, pathCount);
    }

    /// <summary>Bytes held (for tests).</summary>
    public int Bytes => keys.Length + ends.Length * sizeof(int);

    /// <summary>The positions <c>[Lo, Hi]</c> between which the first path &gt;= <paramref name="key"/>
    /// lies: path Lo - 1 is below the key (when Lo &gt; 0), and path Hi is not (or Hi is the path
    /// count). A binary search over <c>[Lo, Hi)</c> that takes Hi when every probe is below finishes it.</summary>
    public (int Lo, int Hi) Narrow(ReadOnlySpan<byte> key)
    {
        int lo = 0, hi = ends.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Fence(mid).SequenceCompareTo(key) < 0) lo = mid + 1;
            else hi = mid;
        }
        // fence lo is the first not below the key: the answer is path lo * Spacing or one of the
        // paths after fence lo - 1
        if (lo == 0) return (0, 0);
        return ((lo - 1) * Spacing + 1, Math.Min(lo * Spacing, pathCount));
    }

    private ReadOnlySpan<byte> Fence(int i) => keys.AsSpan(Start(ends, i), ends[i] - Start(ends, i));

    private static int Start(int[] ends, int i) => i == 0 ? 0 : ends[i - 1];
}
