namespace StreamDb.Cli;

internal enum OpenMode
{
    /// <summary>Reading commands: never create the file, never take the writer's lock.</summary>
    ReadOnly,
    /// <summary>Commands that change an existing database (rm, bind, compact).</summary>
    Existing,
    /// <summary>Commands that add documents (put, import) create the database when it is missing.</summary>
    Create,
}
