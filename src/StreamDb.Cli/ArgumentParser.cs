namespace StreamDb.Cli;

/// <summary>
/// Hand-written parsing (no reflection under NativeAOT). Options may appear anywhere among the
/// arguments; "--" ends them, so a document path starting with '-' can still be given, and "-"
/// alone is an ordinary argument (stdin for put).
/// </summary>
internal static class ArgumentParser
{
    /// <summary>Returns null when help was asked for; throws a usage error on bad arguments.</summary>
    public static ParsedArguments? Parse(CommandSpec command, ReadOnlySpan<string> args)
    {
        var parsed = new ParsedArguments(command);
        var optionsEnded = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (optionsEnded || arg.Length < 2 || arg[0] != '-')
            {
                parsed.Positional.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }
            if (arg is "--help" or "-h")
                return null;

            var name = arg;
            string? inlineValue = null;
            var equals = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                inlineValue = arg[(equals + 1)..];
            }
            var option = Find(command, name)
                ?? throw CliException.Usage(command.Name, $"{command.Name}: unknown option '{name}'");
            if (option.TakesValue)
            {
                if (inlineValue is null)
                {
                    if (i + 1 >= args.Length)
                        throw CliException.Usage(command.Name, $"{command.Name}: option '{name}' needs a value ({option.ValueName})");
                    inlineValue = args[++i];
                }
                parsed.Set(option.Canonical, inlineValue);
            }
            else
            {
                if (inlineValue is not null)
                    throw CliException.Usage(command.Name, $"{command.Name}: option '{name}' takes no value");
                parsed.Set(option.Canonical, null);
            }
        }

        var count = parsed.Positional.Count;
        if (count < command.MinArguments || count > command.MaxArguments)
        {
            var problem = count < command.MinArguments ? "missing arguments" : "too many arguments";
            throw new CliException(ExitCode.Usage,
                $"{command.Name}: {problem}\nusage: {command.Synopsis}\nTry 'streamdb {command.Name} --help'.");
        }
        return parsed;
    }

    /// <summary>Parses a non-negative integer option value; a malformed one is a usage error.</summary>
    public static int NonNegativeInt(ParsedArguments args, string canonical, int fallback)
    {
        var text = args.Value(canonical);
        if (text is null)
            return fallback;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
            throw CliException.Usage(args.Command.Name, $"{args.Command.Name}: '{canonical}' needs a non-negative integer, not '{text}'");
        return value;
    }

    private static OptionSpec? Find(CommandSpec command, string name)
    {
        foreach (var option in command.Options)
            foreach (var spelling in option.Names)
                if (spelling == name)
                    return option;
        return null;
    }
}
