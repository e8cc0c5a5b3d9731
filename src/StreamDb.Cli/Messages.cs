namespace StreamDb.Cli;

/// <summary>Diagnostics go to stderr, prefixed so they stand out in a script's combined output.</summary>
internal static class Messages
{
    public const string Prefix = "streamdb: ";

    public static void Error(string message)
    {
        foreach (var line in message.Split('\n'))
            WriteError(Prefix + line + "\n");
    }

    public static void Warning(string message) => WriteError(Prefix + "warning: " + message + "\n");

    /// <summary>A closed or broken stderr must not turn a message into a second failure.</summary>
    public static void WriteError(string text)
    {
        try
        {
            StandardStreams.Error.Write(text);
        }
        catch (Exception e) when (e is IOException or OutputClosedException)
        {
        }
    }
}
