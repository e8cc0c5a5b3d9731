namespace StreamDb.Cli;

/// <summary>A document to export: its stored path and the file it becomes.</summary>
internal readonly record struct ExportTarget(byte[] Path, string PathText, string File);
