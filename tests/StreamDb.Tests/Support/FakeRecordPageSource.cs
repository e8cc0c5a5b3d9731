using StreamDb.Index;

namespace StreamDb.Tests.Support;

/// <summary>A checkpoint's record bytes as pages of <c>perPage</c> bytes, for
/// <see cref="RecordPages"/>: counts what is read, and fails chosen pages as damaged (a page
/// that fails its check) or as a device error.</summary>
internal sealed class FakeRecordPageSource(byte[] records, int perPage) : IRecordPageSource
{
    public readonly List<(int First, int Count)> Reads = new();
    public readonly HashSet<int> Damaged = new();
    public readonly HashSet<int> Failing = new();
    public int BytesPerPage => perPage;

    public void Read(int first, int count, Span<byte> into)
    {
        lock (Reads) Reads.Add((first, count));
        for (int n = first; n < first + count; n++)
        {
            if (Damaged.Contains(n)) throw new CheckpointDamagedException($"page #{n}");
            if (Failing.Contains(n)) throw new IOException($"device error reading page #{n}");
            int start = n * perPage, length = Math.Min(perPage, records.Length - start);
            records.AsSpan(start, length).CopyTo(into[((n - first) * perPage)..]);
        }
    }

    public int PagesRead
    {
        get { lock (Reads) return Reads.Sum(r => r.Count); }
    }
}
