namespace StreamDb.Cli.Commands;

internal static class VerifyCommand
{
    public static readonly CommandSpec Spec = new(
        "verify", "DB", "check every page and document of the database",
        """
        Reads the whole database and checks every checksum and structure. Prints
        'DB: ok' and exits 0 when all is well; exits 4 and names the first problem
        on stderr when something is corrupted. Does not change the file.

        example:
          streamdb verify app.db || echo "restore app.db from a backup"
        """,
        1, 1, [], Run);

    private static int Run(ParsedArguments args)
    {
        var dbFile = args[0];
        using var db = Engine.Open(dbFile, OpenMode.ReadOnly);
        Engine.Check(db.Verify(), dbFile);
        var output = StandardStreams.Out;
        output.Write($"{dbFile}: ok\n");
        return 0;
    }
}
