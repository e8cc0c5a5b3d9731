namespace StreamDb.Cli;

/// <summary>Dispatches to a command and turns every failure into a message and an exit code;
/// nothing escapes as an unhandled exception (a stack trace is not a message).</summary>
internal static class CommandLine
{
    public static int Run(string[] args)
    {
        Libc.IgnoreSigPipe();
        try
        {
            var code = Dispatch(args);
            StandardStreams.Flush();
            return code;
        }
        catch (OutputClosedException)
        {
            return 0;
        }
        catch (CliException e)
        {
            return Fail(e.Code, e.Message);
        }
        catch (StreamDbException e)
        {
            return Fail(StatusExitCodes.For(e.Status), e.Message);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Fail(ExitCode.NotFound, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(ExitCode.Failure, e.Message);
        }
        catch (Exception e)
        {
            return Fail(ExitCode.Failure, $"internal error: {e}");
        }
    }

    private static int Dispatch(string[] args)
    {
        if (args.Length == 0)
        {
            var names = string.Join(", ", CommandTable.All.Select(c => c.Name));
            throw new CliException(ExitCode.Usage, $"missing command (one of: {names})\nTry 'streamdb --help'.");
        }

        var first = args[0];
        switch (first)
        {
            case "--help" or "-h" or "help":
                if (first == "help" && args.Length > 1)
                {
                    var topic = CommandTable.Find(args[1])
                        ?? throw new CliException(ExitCode.Usage, $"unknown command '{args[1]}'\nTry 'streamdb --help'.");
                    StandardStreams.Out.Write(HelpText.For(topic));
                }
                else
                {
                    StandardStreams.Out.Write(HelpText.Overview());
                }
                return 0;
            case "--version" or "-V" or "version":
                StandardStreams.Out.Write($"streamdb {CliVersion.Text}\n");
                return 0;
        }

        var command = CommandTable.Find(first)
            ?? throw new CliException(ExitCode.Usage,
                first.StartsWith('-') ? $"unknown option '{first}'\nTry 'streamdb --help'." : $"unknown command '{first}'\nTry 'streamdb --help'.");
        var parsed = ArgumentParser.Parse(command, args.AsSpan(1));
        if (parsed is null)
        {
            StandardStreams.Out.Write(HelpText.For(command));
            return 0;
        }
        return command.Run(parsed);
    }

    private static int Fail(ExitCode code, string message)
    {
        try
        {
            StandardStreams.Flush();
        }
        catch (Exception e) when (e is IOException or OutputClosedException)
        {
        }
        Messages.Error(message);
        return (int)code;
    }
}
