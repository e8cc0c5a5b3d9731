namespace StreamDb.Cli.Commands;

internal static class GetCommand
{
    private static readonly OptionSpec Back = new(["--back", "-b"], "N", "read the version N commits older than the current one (default 0)");

    public static readonly CommandSpec Spec = new(
        "get", "DB PATH", "write the document at PATH to stdout",
        """
        Writes the document stored at PATH to stdout, streaming it chunk by chunk, so
        documents larger than memory are fine. Older versions the database still keeps
        are read with --back.

        example:
          streamdb get app.db /images/logo.png > logo.png
        """,
        2, 2, [Back], Run);

    private static int Run(ParsedArguments args)
    {
        var (dbFile, pathText) = (args[0], args[1]);
        var back = ArgumentParser.NonNegativeInt(args, Back.Canonical, 0);
        using var db = Engine.Open(dbFile, OpenMode.ReadOnly);
        Engine.Check(db.OpenReader(Engine.Utf8(pathText), out var opened, back), pathText);
        using (var reader = opened!)
        {
            var output = StandardStreams.Output;
            Status status;
            while ((status = reader.Next(out var chunk)) == Status.Ok)
                output.Write(chunk);
            Engine.Check(status, pathText);
        }
        return 0;
    }
}
