using StreamDb.Cli.Commands;

namespace StreamDb.Cli;

/// <summary>Every command, in the order the main help lists them.</summary>
internal static class CommandTable
{
    public static readonly CommandSpec[] All =
    [
        PutCommand.Spec,
        GetCommand.Spec,
        LsCommand.Spec,
        RmCommand.Spec,
        BindCommand.Spec,
        StatCommand.Spec,
        VerifyCommand.Spec,
        CompactCommand.Spec,
        ImportCommand.Spec,
        ExportCommand.Spec,
    ];

    public static CommandSpec? Find(string name)
    {
        foreach (var command in All)
            if (command.Name == name)
                return command;
        return null;
    }
}
