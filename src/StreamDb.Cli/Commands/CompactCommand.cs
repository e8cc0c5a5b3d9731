namespace StreamDb.Cli.Commands;

internal static class CompactCommand
{
    public static readonly CommandSpec Spec = new(
        "compact", "DB", "reclaim free space and shrink the database file",
        """
        Reclaims the space of removed documents and old versions, giving it back to
        the file system where the engine can. Needs the database for writing (exits 5
        while another process has it open). Prints the file size before and after.

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
        using var output = TextOutput.Open();
        output.Write($"{dbFile}: {ByteSize.Format(before.FileBytes)} -> {ByteSize.Format(after.FileBytes)}\n");
        output.Flush();
        return 0;
    }
}
