namespace StreamDb.Cli;

/// <summary>
/// Lists the regular files under a directory, in ordinal name order so an import is
/// reproducible. Symbolic links are skipped with a warning: following them could leave the
/// tree (or loop), and a link's target is not part of the tree being imported.
/// </summary>
internal static class TreeScanner
{
    public static List<ImportFile> Scan(string root, out long totalBytes)
    {
        var files = new List<ImportFile>();
        totalBytes = 0;
        var pending = new Stack<(DirectoryInfo Dir, string Relative)>();
        pending.Push((new DirectoryInfo(root), ""));
        while (pending.Count > 0)
        {
            var (dir, relative) = pending.Pop();
            var entries = dir.GetFileSystemInfos();
            foreach (var entry in entries)
            {
                var name = relative + entry.Name;
                if (entry.LinkTarget is not null)
                {
                    Messages.Warning($"skipping symbolic link {entry.FullName}");
                    continue;
                }
                if (entry is DirectoryInfo sub)
                    pending.Push((sub, name + "/"));
                else if (entry is FileInfo file)
                    files.Add(new ImportFile(file.FullName, name, file.Length));
            }
        }
        // Ordinal order of the relative paths is the order the database lists them in.
        files.Sort(static (a, b) => string.CompareOrdinal(a.Relative, b.Relative));
        foreach (var file in files)
            totalBytes += file.Length;
        return files;
    }
}
