namespace StreamDb;

/// <summary>What streamdb_stat reports about a document's current version.</summary>
public readonly record struct DocumentInfo(Guid Id, long Size, long Version, int PathCount, int VersionsKept);
