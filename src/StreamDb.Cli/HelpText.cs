using System.Text;

namespace StreamDb.Cli;

internal static class HelpText
{
    public const string ExitCodes =
        """
        exit codes:
          0  success
          1  not found: no such document, path, database file, input file or directory
          2  usage error: unknown command or option, wrong number of arguments
          3  invalid argument: bad path, input over the size limit, export path escaping DIR
          4  corrupted: the database failed a checksum or structural check
          5  busy: another process has the database open (a writer excludes everyone,
             readers exclude writers)
          6  any other I/O or engine error (disk full, permission denied, ...)
        """;

    public static string Overview()
    {
        var text = new StringBuilder();
        text.Append($"streamdb {CliVersion.Text}: command-line tool for StreamDb databases\n\n");
        text.Append("usage: streamdb COMMAND ARGUMENTS... [OPTIONS]\n");
        text.Append("       streamdb COMMAND --help\n");
        text.Append("       streamdb --help | --version\n\n");
        text.Append("commands:\n");
        var width = 0;
        foreach (var command in CommandTable.All)
            width = Math.Max(width, command.Name.Length + 1 + command.Arguments.Length);
        foreach (var command in CommandTable.All)
        {
            var left = command.Name + " " + command.Arguments;
            text.Append("  ").Append(left.PadRight(width + 2)).Append(command.Summary).Append('\n');
        }
        text.Append(
            """

            DB is the database file. PATH names a document: any non-empty UTF-8 string,
            conventionally '/'-separated like /images/logo.png. Put '--' before arguments
            that start with '-'. Messages go to stderr, each line starting with "streamdb: ".


            """);
        text.Append(ExitCodes).Append('\n');
        return text.ToString();
    }

    public static string For(CommandSpec command)
    {
        var text = new StringBuilder();
        text.Append("usage: ").Append(command.Synopsis);
        if (command.Options.Length > 0)
            text.Append(" [OPTIONS]");
        text.Append("\n\n").Append(command.Summary).Append(".\n\n");
        text.Append(command.Description.TrimEnd()).Append("\n\noptions:\n");
        var rows = new List<(string Left, string Help)> { ("-h, --help", "show this help") };
        foreach (var option in command.Options)
        {
            var names = string.Join(", ", option.Names.OrderBy(n => n.Length));
            rows.Add((option.TakesValue ? $"{names} {option.ValueName}" : names, option.Help));
        }
        var width = rows.Max(r => r.Left.Length);
        foreach (var (left, help) in rows)
            text.Append("  ").Append(left.PadRight(width + 2)).Append(help).Append('\n');
        text.Append('\n').Append(ExitCodes).Append('\n');
        return text.ToString();
    }
}
