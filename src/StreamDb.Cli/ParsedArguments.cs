namespace StreamDb.Cli;

/// <summary>A command's positional arguments and the options given, keyed by canonical name.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string?> options = new(StringComparer.Ordinal);

    public ParsedArguments(CommandSpec command) => Command = command;

    public CommandSpec Command { get; }

    public List<string> Positional { get; } = [];

    public string this[int index] => Positional[index];

    public string? Optional(int index) => index < Positional.Count ? Positional[index] : null;

    public bool Has(string canonical) => options.ContainsKey(canonical);

    public string? Value(string canonical) => options.TryGetValue(canonical, out var v) ? v : null;

    public void Set(string canonical, string? value) => options[canonical] = value;
}
