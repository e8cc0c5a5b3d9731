using System.Collections.Immutable;

namespace StreamDb.Index;

/// <summary>A document: its id, kept versions (index 0 is current) and bound paths. Immutable.</summary>
internal sealed class DocRecord(Guid id, ImmutableArray<DocVersion> versions, PathTree paths)
{
    public Guid Id { get; } = id;
    public ImmutableArray<DocVersion> Versions { get; } = versions;
    public PathTree Paths { get; } = paths;

    public DocVersion Current => Versions[0];

    public DocRecord With(ImmutableArray<DocVersion>? versions = null, PathTree? paths = null) =>
        new(Id, versions ?? Versions, paths ?? Paths);
}
