namespace StreamDb.Cli;

/// <summary>Diagnostics go to stderr, prefixed so they stand out in a script's combined output.</summary>
internal static class Messages
{
    public const string Prefix = "streamdb: ";

    public static void Error(string message)
    {
        foreach (var line in message.Split('\n'))
            Console.Error.WriteLine(Prefix + line);
    }

    public static void Warning(string message) => Console.Error.WriteLine(Prefix + "warning: " + message);
}
