using System.Collections;

namespace StreamDb.Index;

/// <summary>
/// A document's kept versions, newest first. Immutable. Almost every document has one version
/// (or versions_to_keep + 1 after overwrites), so one version is held as itself, not in an
/// array: at 100,000 documents the array alone was 3.2 MB of the index and one allocation per
/// document on open.
/// </summary>
internal readonly struct VersionList : IEnumerable<DocVersion>
{
    // a DocVersion, or a DocVersion[] of two or more, newest first (null: none, only in default)
    private readonly object items;

    private VersionList(object items) => this.items = items;

    public static VersionList Of(DocVersion only) => new(only);

    /// <summary>Takes <paramref name="newestFirst"/> (not copied; not changed afterwards).</summary>
    public static VersionList Of(DocVersion[] newestFirst) =>
        newestFirst.Length switch
        {
            0 => throw new ArgumentException("a document has at least one version"),
            1 => new(newestFirst[0]),
            _ => new(newestFirst),
        };

    public int Length => items switch { null => 0, DocVersion[] a => a.Length, _ => 1 };

    public DocVersion this[int index] =>
        items is DocVersion[] a ? a[index] : index == 0 && items is DocVersion v ? v : throw new IndexOutOfRangeException();

    /// <summary>A list with <paramref name="v"/> as the newest version.</summary>
    public VersionList Prepend(DocVersion v)
    {
        return items switch
        {
            null => new(v),
            DocVersion[] a => new((DocVersion[])[v, .. a]),
            _ => new(new[] { v, (DocVersion)items }),
        };
    }

    public VersionList RemoveAt(int index)
    {
        var a = items as DocVersion[] ?? throw new InvalidOperationException("cannot remove a document's only version");
        if (a.Length == 2) return new(a[1 - index]);
        var rest = new DocVersion[a.Length - 1];
        Array.Copy(a, rest, index);
        Array.Copy(a, index + 1, rest, index, a.Length - index - 1);
        return new(rest);
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<DocVersion> IEnumerable<DocVersion>.GetEnumerator()
    {
        for (int i = 0; i < Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<DocVersion>)this).GetEnumerator();

    public struct Enumerator(VersionList list)
    {
        private int index = -1;

        public readonly DocVersion Current => list[index];

        public bool MoveNext() => ++index < list.Length;
    }
}
