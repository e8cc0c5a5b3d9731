namespace StreamDb.Cli;

/// <summary>The process exit codes; scripts rely on them, so the values never change.</summary>
internal enum ExitCode
{
    Ok = 0,
    NotFound = 1,
    Usage = 2,
    InvalidArgument = 3,
    Corrupted = 4,
    Busy = 5,
    Failure = 6,
}
