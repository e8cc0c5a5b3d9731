namespace StreamDb.Cli.Commands;

internal static class BindCommand
{
    public static readonly CommandSpec Spec = new(
        "bind", "DB PATH NEWPATH", "make the document at PATH also readable at NEWPATH",
        """
        Binds the document stored at PATH to NEWPATH as well, without copying it: both
        paths then name the same document, and a new version written through either
        path is seen through both. 'rm' of one path leaves the other. A NEWPATH that
        names another document is rebound; that document is removed when it has no
        path left.

        example:
          streamdb bind app.db /releases/1.2.0.tar /releases/latest.tar
        """,
        3, 3, [], Run);

    private static int Run(ParsedArguments args)
    {
        var (dbFile, pathText, newPathText) = (args[0], args[1], args[2]);
        using var db = Engine.Open(dbFile, OpenMode.Existing);
        Engine.Check(db.GetId(Engine.Utf8(pathText), out var id), pathText);
        Engine.Check(db.Bind(id, Engine.Utf8(newPathText)), newPathText);
        Engine.Close(db, dbFile);
        return 0;
    }
}
