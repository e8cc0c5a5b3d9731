using System.Text;

namespace StreamDb.Cli;

/// <summary>
/// Decides, before anything is written, which file each exported document becomes, and refuses
/// the whole export when any path would land outside DIR: a "..", "." or empty segment, a NUL,
/// bytes that are not UTF-8, a path that is both a file and a folder, or an existing symbolic
/// link on the way (which could point anywhere). Refusing up front means bad input changes
/// nothing on disk.
/// </summary>
internal sealed class ExportPlan
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private ExportPlan(List<ExportTarget> targets, List<string> problems)
    {
        Targets = targets;
        Problems = problems;
    }

    public List<ExportTarget> Targets { get; }

    /// <summary>One line per refused path; the export may proceed only when empty.</summary>
    public List<string> Problems { get; }

    public static ExportPlan Build(string prefix, List<byte[]> paths, string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var rootWithSeparator = root.EndsWith('/') ? root : root + "/";
        var prefixBytes = Encoding.UTF8.GetByteCount(prefix);
        var targets = new List<ExportTarget>(paths.Count);
        var problems = new List<string>();
        var files = new HashSet<string>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);

        foreach (var path in paths)
        {
            string pathText, relative;
            try
            {
                pathText = StrictUtf8.GetString(path);
                // Search matched the prefix byte-wise, so it is cut off as bytes.
                relative = StrictUtf8.GetString(path, prefixBytes, path.Length - prefixBytes).TrimStart('/');
            }
            catch (DecoderFallbackException)
            {
                problems.Add($"refusing to export {Encoding.UTF8.GetString(path)}: the path is not valid UTF-8");
                continue;
            }
            var reason = Check(relative);
            if (reason is null)
            {
                var full = Path.GetFullPath(Path.Combine(root, relative));
                // Belt and braces: the segment rules above already imply this.
                if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
                    reason = "it would be written outside the target directory";
                else if (!files.Add(relative))
                    reason = $"another path is also exported as {relative} (leading '/' are dropped)";
                else
                {
                    for (var slash = relative.IndexOf('/'); slash >= 0; slash = relative.IndexOf('/', slash + 1))
                        folders.Add(relative[..slash]);
                    targets.Add(new ExportTarget(path, pathText, full));
                    continue;
                }
            }
            problems.Add($"refusing to export {pathText}: {reason}");
        }

        foreach (var target in targets)
        {
            var relative = target.File[rootWithSeparator.Length..];
            if (folders.Contains(relative))
                problems.Add($"refusing to export {target.PathText}: another exported path needs {relative} to be a folder");
            else if (Directory.Exists(target.File) || new FileInfo(target.File).LinkTarget is not null)
                problems.Add($"refusing to export {target.PathText}: {target.File} exists and is a folder or a symbolic link");
        }
        foreach (var folder in folders)
        {
            var full = Path.Combine(root, folder);
            var info = new DirectoryInfo(full);
            if (info.LinkTarget is not null)
                problems.Add($"refusing to export into {full}: it is a symbolic link");
            else if (File.Exists(full))
                problems.Add($"refusing to export into {full}: it exists and is a file");
        }
        return new ExportPlan(targets, problems);
    }

    /// <summary>Why a relative path cannot name a file below the export directory, or null.</summary>
    private static string? Check(string relative)
    {
        if (relative.Length == 0)
            return "it names no file below the prefix (end the prefix before the file name)";
        if (relative.Contains('\0'))
            return "the path contains a NUL character";
        foreach (var segment in relative.Split('/'))
        {
            if (segment.Length == 0)
                return "the path has an empty segment ('//' or a trailing '/')";
            if (segment is "." or "..")
                return $"the path contains a '{segment}' segment (not allowed: it could escape the target directory)";
        }
        return null;
    }
}
