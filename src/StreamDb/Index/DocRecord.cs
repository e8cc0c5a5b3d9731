namespace StreamDb.Index;

/// <summary>A document: its id, kept versions (index 0 is current) and bound paths. Immutable.</summary>
internal sealed class DocRecord(Guid id, VersionList versions, DocPaths paths)
{
    public Guid Id { get; } = id;
    public VersionList Versions { get; } = versions;
    public DocPaths Paths { get; } = paths;

    public DocVersion Current => Versions[0];

    public DocRecord With(VersionList versions) => new(Id, versions, Paths);

    public DocRecord With(DocPaths paths) => new(Id, Versions, paths);
}
