namespace StreamDb.Cli;

/// <summary>Ends the command: the message goes to stderr and the code becomes the exit code.</summary>
internal sealed class CliException : Exception
{
    public CliException(ExitCode code, string message) : base(message) => Code = code;

    public ExitCode Code { get; }

    public static CliException Usage(string command, string message) =>
        new(ExitCode.Usage, $"{message}\nTry 'streamdb {command} --help'.".TrimStart());

    public static CliException Invalid(string message) => new(ExitCode.InvalidArgument, message);

    public static CliException NotFound(string message) => new(ExitCode.NotFound, message);
}
