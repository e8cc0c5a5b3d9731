namespace StreamDb.Cli;

/// <summary>Maps engine statuses onto the few exit codes a shell script distinguishes.</summary>
internal static class StatusExitCodes
{
    public static ExitCode For(Status status) => status switch
    {
        Status.Ok or Status.Done => ExitCode.Ok,
        Status.NotFound => ExitCode.NotFound,
        // TooLarge is the caller's input exceeding a configured limit, not a fault of the database.
        Status.InvalidArgument or Status.TooLarge or Status.BufferTooSmall => ExitCode.InvalidArgument,
        Status.Corrupted => ExitCode.Corrupted,
        Status.Busy or Status.Timeout => ExitCode.Busy,
        _ => ExitCode.Failure,
    };
}
