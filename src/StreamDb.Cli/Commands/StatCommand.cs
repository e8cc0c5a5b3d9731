using System.Globalization;

namespace StreamDb.Cli.Commands;

internal static class StatCommand
{
    public static readonly CommandSpec Spec = new(
        "stat", "DB [PATH]", "show database statistics, or a document's details",
        """
        Without PATH, prints the database's counters; with PATH, the details of the
        document stored there. The output is one 'key: value' per line, keys fixed:

          database: file, page_size, file_bytes, total_pages, free_pages, documents, paths
          document: path, id, size, version, paths, versions_kept

        example:
          streamdb stat app.db /images/logo.png | grep '^size:'
        """,
        1, 2, [], Run);

    private static int Run(ParsedArguments args)
    {
        var dbFile = args[0];
        var pathText = args.Optional(1);
        using var db = Engine.Open(dbFile, OpenMode.ReadOnly);
        var output = StandardStreams.Out;
        if (pathText is null)
        {
            Engine.Check(db.GetStats(out var stats), dbFile);
            Line(output, "file", dbFile);
            Line(output, "page_size", stats.PageSize);
            Line(output, "file_bytes", stats.FileBytes);
            Line(output, "total_pages", stats.TotalPages);
            Line(output, "free_pages", stats.FreePages);
            Line(output, "documents", stats.Documents);
            Line(output, "paths", stats.Paths);
        }
        else
        {
            Engine.Check(db.Stat(Engine.Utf8(pathText), out var info), pathText);
            Line(output, "path", pathText);
            Line(output, "id", info.Id.ToString("D"));
            Line(output, "size", info.Size);
            Line(output, "version", info.Version);
            Line(output, "paths", info.PathCount);
            Line(output, "versions_kept", info.VersionsKept);
        }
        return 0;
    }

    private static void Line(TextWriter output, string key, string value) => output.Write($"{key}: {value}\n");

    private static void Line(TextWriter output, string key, long value) =>
        Line(output, key, value.ToString(CultureInfo.InvariantCulture));
}
