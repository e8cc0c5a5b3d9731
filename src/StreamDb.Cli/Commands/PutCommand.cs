namespace StreamDb.Cli.Commands;

internal static class PutCommand
{
    private const int ChunkSize = 1 << 20;

    public static readonly CommandSpec Spec = new(
        "put", "DB PATH [FILE|-]", "store a file (or stdin) as the document at PATH",
        """
        Stores the bytes of FILE as a new version of the document at PATH, creating the
        database file DB when it does not exist. Reads stdin when FILE is '-' or omitted.
        The data is streamed, so documents larger than memory are fine. The new version
        becomes visible atomically once all of it is written, and not at all if the
        command fails. With --compress the document is stored compressed; every
        reader (get, export, the library) sees the original bytes.

        example:
          streamdb put app.db /images/logo.png logo.png
          tar c docs | streamdb put app.db /backups/docs.tar
        """,
        2, 3, [CompressOption.Spec], Run);

    private static int Run(ParsedArguments args)
    {
        var (dbFile, pathText) = (args[0], args[1]);
        var source = args.Optional(2) ?? "-";
        // The input is opened first: a missing FILE must not leave a new empty database behind.
        using var input = source == "-" ? StandardStreams.Input : InputFiles.Open(source);
        using var db = Engine.Open(dbFile, OpenMode.Create, CompressOption.IsSet(args));
        Engine.Check(db.OpenWriter(Engine.Utf8(pathText), out var opened), pathText);
        using (var writer = opened!)
        {
            var buffer = new byte[ChunkSize];
            int read;
            while ((read = input.Read(buffer)) > 0)
                Engine.Check(writer.Write(buffer.AsSpan(0, read)), pathText);
            Engine.Check(writer.Commit(out _), pathText);
        }
        Engine.Close(db, dbFile);
        return 0;
    }
}
