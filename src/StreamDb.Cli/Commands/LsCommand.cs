namespace StreamDb.Cli.Commands;

internal static class LsCommand
{
    private static readonly OptionSpec Null = new(["--null", "-0"], null, "end each path with a NUL byte instead of a newline (for xargs -0)");

    public static readonly CommandSpec Spec = new(
        "ls", "DB [PREFIX]", "list the paths that start with PREFIX",
        """
        Prints every document path that starts with PREFIX (all paths when PREFIX is
        omitted), one per line, in byte order. PREFIX is a plain string prefix, not a
        folder: 'ls DB /img' lists /img/a.png and /imgs/b.png. Prints nothing (and
        exits 0) when no path matches.

        example:
          streamdb ls app.db /images/
        """,
        1, 2, [Null], Run);

    private static int Run(ParsedArguments args)
    {
        var dbFile = args[0];
        var prefix = args.Optional(1) ?? "";
        var separator = args.Has(Null.Canonical) ? (byte)0 : (byte)'\n';
        using var db = Engine.Open(dbFile, OpenMode.ReadOnly);
        Engine.Check(db.Search(Engine.Utf8(prefix), out var found), prefix.Length > 0 ? prefix : dbFile);
        using (var cursor = found!)
        {
            var output = StandardStreams.Output;
            Status status;
            while ((status = cursor.Next(out var path)) == Status.Ok)
            {
                output.Write(path);
                output.WriteByte(separator);
            }
            Engine.Check(status, dbFile);
        }
        return 0;
    }
}
