namespace StreamDb.Cli;

/// <summary>One regular file found under an import's DIR; Relative uses '/' separators.</summary>
internal readonly record struct ImportFile(string FullPath, string Relative, long Length);
