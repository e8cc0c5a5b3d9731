namespace StreamDb.Cli.Commands;

internal static class CompactCommand
{
    public static readonly CommandSpec Spec = new(
        "compact", "DB", "shrink the database file by its free tail",
        """
        Returns the free pages at the end of the database file to the file system
        (space freed by removed documents and dropped old versions is otherwise reused
        by later writes). Needs the database for writing: exits 5 while another
        process has it open. Prints the file size before and after.

        example:
          streamdb compact app.db
        """,
        1, 1, [], Run);

    private static int Run(ParsedArguments args)
    {
        var dbFile = args[0];
        using var db = Engine.Open(dbFile, OpenMode.Existing);
        Engine.Check(db.GetStats(out var before), dbFile);
        Engine.Check(db.Compact(), dbFile);
        Engine.Check(db.GetStats(out var after), dbFile);
        Engine.Close(db, dbFile);
        var output = StandardStreams.Out;
        output.Write($"{dbFile}: {ByteSize.Format(before.FileBytes)} -> {ByteSize.Format(after.FileBytes)}\n");
        return 0;
    }
}
