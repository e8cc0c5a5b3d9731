namespace StreamDb.Cli;

/// <summary>Everything the parser and the help need to know about one command.</summary>
internal sealed record CommandSpec(
    string Name,
    string Arguments,
    string Summary,
    string Description,
    int MinArguments,
    int MaxArguments,
    OptionSpec[] Options,
    Func<ParsedArguments, int> Run)
{
    public string Synopsis => $"streamdb {Name} {Arguments}".TrimEnd();
}
