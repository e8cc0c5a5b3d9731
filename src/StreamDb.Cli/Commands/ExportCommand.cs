namespace StreamDb.Cli.Commands;

internal static class ExportCommand
{
    public static readonly CommandSpec Spec = new(
        "export", "DB PREFIX DIR", "write every document under PREFIX as a file below DIR",
        """
        Writes each document whose path starts with PREFIX to DIR/<path without PREFIX>
        (leading '/' dropped), creating DIR and folders as needed and overwriting
        existing files. The inverse of import:

          streamdb export app.db /site/ ./out     writes /site/css/a.css to ./out/css/a.css

        Refuses the whole export, writing nothing and exiting 3, when any path would
        not land inside DIR: '..' or '.' segments, empty segments, a path that is both
        a file and a folder, or a symbolic link already in the way. Exports the
        database as it was when the command started, even if it changes meanwhile.
        Prints a summary line unless --quiet; shows a progress bar on stderr for large
        trees when run on a terminal.
        """,
        3, 3, [ImportCommand.Quiet, ImportCommand.NoProgress], Run);

    private static int Run(ParsedArguments args)
    {
        var (dbFile, prefix, dir) = (args[0], args[1], args[2]);
        if (File.Exists(dir))
            throw CliException.Invalid($"{dir}: exists and is not a directory");

        using var db = Engine.Open(dbFile, OpenMode.ReadOnly);
        // A snapshot keeps the listing and the documents read afterwards consistent with each
        // other while another process writes; without one the export still works, just live.
        Database? snapshot = null;
        if (db.Snapshot(out snapshot) != Status.Ok)
        {
            snapshot = null;
            LastError.Clear();
        }
        try
        {
            return Export(snapshot ?? db, dbFile, prefix, dir, args);
        }
        finally
        {
            snapshot?.Dispose();
        }
    }

    private static int Export(Database db, string dbFile, string prefix, string dir, ParsedArguments args)
    {
        var paths = new List<byte[]>();
        Engine.Check(db.Search(Engine.Utf8(prefix), out var found), dbFile);
        using (var cursor = found!)
        {
            Status status;
            while ((status = cursor.Next(out var path)) == Status.Ok)
                paths.Add(path.ToArray());
            Engine.Check(status, dbFile);
        }

        var plan = ExportPlan.Build(prefix, paths, dir);
        if (plan.Problems.Count > 0)
        {
            foreach (var problem in plan.Problems)
                Messages.Error(problem);
            throw CliException.Invalid($"nothing exported: {plan.Problems.Count} path(s) cannot be written below {dir}");
        }

        Directory.CreateDirectory(dir);
        long bytes = 0;
        var quiet = args.Has(ImportCommand.Quiet.Canonical);
        using (var progress = ProgressBar.Start("exporting", plan.Targets.Count, -1, quiet || args.Has(ImportCommand.NoProgress.Canonical)))
        {
            foreach (var target in plan.Targets)
            {
                var written = WriteFile(db, target);
                bytes += written;
                progress.Advance(written);
            }
        }
        if (!quiet)
            StandardStreams.Out.Write($"exported {plan.Targets.Count} files ({ByteSize.Format(bytes)}) to {dir}\n");
        return 0;
    }

    private static long WriteFile(Database db, ExportTarget target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target.File)!);
        Engine.Check(db.OpenReader(target.Path, out var opened), target.PathText);
        using (var reader = opened!)
        using (var output = new FileStream(target.File, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            Status status;
            while ((status = reader.Next(out var chunk)) == Status.Ok)
                output.Write(chunk);
            Engine.Check(status, target.PathText);
            return output.Length;
        }
    }
}
