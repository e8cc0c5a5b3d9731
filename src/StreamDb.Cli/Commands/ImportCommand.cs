namespace StreamDb.Cli.Commands;

internal static class ImportCommand
{
    /// <summary>Files up to this size are read whole and committed in batches (one sync per
    /// batch); larger ones are streamed, each in its own commit, so memory stays bounded.</summary>
    private const long BatchedFileLimit = 1L << 20;
    private const int BatchFiles = 1000;
    private const long BatchBytes = 32L << 20;
    private const int ChunkSize = 1 << 20;

    internal static readonly OptionSpec Quiet = new(["--quiet", "-q"], null, "print no summary line and no progress bar");
    internal static readonly OptionSpec NoProgress = new(["--no-progress"], null, "never show the progress bar");

    public static readonly CommandSpec Spec = new(
        "import", "DB DIR [PREFIX]", "store every file under DIR, at PREFIX + its relative path",
        """
        Stores each regular file under DIR (recursively) as the document at PREFIX
        followed by the file's path relative to DIR, with '/' separators. PREFIX is
        prepended as given, so end it with '/' for a folder-like layout:

          streamdb import app.db ./site /site/    stores ./site/css/a.css at /site/css/a.css
          streamdb import app.db ./site           stores it at css/a.css

        Creates DB when it does not exist. Small files are committed in batches of up
        to 1000 files, large ones streamed one by one; if the command fails part way,
        the batches committed before the failure stay in the database. Symbolic links
        are skipped (with a warning), and so is DB itself when it lies inside DIR.
        --compress stores every file compressed. Prints a summary line unless
        --quiet; shows a progress bar on stderr for large trees when run on a
        terminal.
        """,
        2, 3, [Quiet, NoProgress, CompressOption.Spec], Run);

    private static int Run(ParsedArguments args)
    {
        var (dbFile, dir) = (args[0], args[1]);
        var prefix = args.Optional(2) ?? "";
        if (File.Exists(dir))
            throw CliException.Invalid($"{dir}: is not a directory");
        if (!Directory.Exists(dir))
            throw CliException.NotFound($"{dir}: no such directory");

        var files = TreeScanner.Scan(dir, out var totalBytes);
        // Importing the database into itself cannot work (the writer holds it locked) and is
        // never what was meant, e.g. `streamdb import ./site.db .`.
        var self = Path.GetFullPath(dbFile);
        var index = files.FindIndex(f => f.FullPath == self);
        if (index >= 0)
        {
            Messages.Warning($"skipping {files[index].FullPath}: it is the database being imported into");
            totalBytes -= files[index].Length;
            files.RemoveAt(index);
        }
        using var db = Engine.Open(dbFile, OpenMode.Create, CompressOption.IsSet(args));
        using (var progress = ProgressBar.Start("importing", files.Count, totalBytes, args.Has(Quiet.Canonical) || args.Has(NoProgress.Canonical)))
        {
            var importer = new Importer(db);
            try
            {
                foreach (var file in files)
                {
                    importer.Add(prefix + file.Relative, file);
                    progress.Advance(file.Length);
                }
                importer.CommitBatch();
            }
            finally
            {
                importer.AbortBatch();
            }
        }
        Engine.Close(db, dbFile);

        if (!args.Has(Quiet.Canonical))
            StandardStreams.Out.Write($"imported {files.Count} files ({ByteSize.Format(totalBytes)}) into {dbFile}\n");
        return 0;
    }

    private sealed class Importer(Database db)
    {
        private WriteBatch? batch;
        private int batchFiles;
        private long batchBytes;
        private string lastPath = "";
        private readonly byte[] buffer = new byte[ChunkSize];

        public void Add(string path, ImportFile file)
        {
            var utf8 = Engine.Utf8(path);
            if (file.Length > BatchedFileLimit)
            {
                // Committing the pending batch first keeps documents appearing in tree order.
                CommitBatch();
                Stream(utf8, path, file);
                return;
            }
            var data = File.ReadAllBytes(file.FullPath);
            if (batch is null)
                Engine.Check(db.BeginBatch(out batch), path);
            Engine.Check(batch!.Write(utf8, data), path);
            lastPath = path;
            batchFiles++;
            batchBytes += data.Length;
            if (batchFiles >= BatchFiles || batchBytes >= BatchBytes)
                CommitBatch();
        }

        public void CommitBatch()
        {
            if (batch is null)
                return;
            var committing = batch;
            batch = null;
            batchFiles = 0;
            batchBytes = 0;
            using (committing)
                Engine.Check(committing.Commit(), lastPath);
        }

        public void AbortBatch()
        {
            batch?.Abort();
            batch?.Dispose();
            batch = null;
        }

        private void Stream(byte[] utf8, string path, ImportFile file)
        {
            using var input = InputFiles.Open(file.FullPath);
            Engine.Check(db.OpenWriter(utf8, out var opened), path);
            using (var writer = opened!)
            {
                int read;
                while ((read = input.Read(buffer)) > 0)
                    Engine.Check(writer.Write(buffer.AsSpan(0, read)), path);
                Engine.Check(writer.Commit(out _), path);
            }
        }
    }
}
