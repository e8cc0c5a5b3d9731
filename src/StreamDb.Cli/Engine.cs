using System.Text;

namespace StreamDb.Cli;

/// <summary>The seam between the commands and the engine: opening databases and turning a
/// failed status into a CliException with the engine's message.</summary>
internal static class Engine
{
    public static Database Open(string file, OpenMode mode, bool compress = false)
    {
        if (mode != OpenMode.Create && !File.Exists(file))
        {
            if (Directory.Exists(file))
                throw CliException.Invalid($"{file}: is a directory, not a database file");
            throw CliException.NotFound($"{file}: no such database file");
        }
        if (Directory.Exists(file))
            throw CliException.Invalid($"{file}: is a directory, not a database file");

        var options = new DatabaseOptions
        {
            ReadOnly = mode == OpenMode.ReadOnly,
            NoCreate = mode != OpenMode.Create,
            Compress = compress,
        };
        Check(Database.Open(file, options, out var db), file);
        return db!;
    }

    /// <summary>Closes a database that was written to: a failed close means the last commits may
    /// not be durable, which the exit code must say.</summary>
    public static void Close(Database db, string file) => Check(db.Close(), file);

    /// <summary>Throws unless <paramref name="status"/> is Ok or Done.</summary>
    public static void Check(Status status, string context)
    {
        if (status >= 0)
            return;
        var detail = LastError.Message;
        if (detail.Length == 0)
            detail = Describe(status);
        // The engine's message usually names the path already; avoid saying it twice.
        var message = detail.Contains(context, StringComparison.Ordinal) ? detail : $"{context}: {detail}";
        throw new CliException(StatusExitCodes.For(status), message);
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    private static string Describe(Status status) => status switch
    {
        Status.NotFound => "not found",
        Status.InvalidArgument => "invalid argument",
        Status.Corrupted => "database is corrupted",
        Status.TooLarge => "too large",
        Status.Full => "database is full",
        Status.Busy => "database is busy (open for writing elsewhere)",
        Status.ReadOnly => "database is read-only",
        Status.Timeout => "timed out",
        Status.IOError => "I/O error",
        _ => $"engine error ({status})",
    };
}
