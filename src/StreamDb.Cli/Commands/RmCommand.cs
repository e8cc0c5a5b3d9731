namespace StreamDb.Cli.Commands;

internal static class RmCommand
{
    public static readonly CommandSpec Spec = new(
        "rm", "DB PATH", "remove the document at PATH",
        """
        Removes PATH from the database. A document bound to several paths (see bind)
        stays readable under its other paths. Exits 1 when PATH does not exist.

        example:
          streamdb rm app.db /images/old-logo.png
        """,
        2, 2, [], Run);

    private static int Run(ParsedArguments args)
    {
        var (dbFile, pathText) = (args[0], args[1]);
        using var db = Engine.Open(dbFile, OpenMode.Existing);
        Engine.Check(db.Delete(Engine.Utf8(pathText)), pathText);
        Engine.Close(db, dbFile);
        return 0;
    }
}
