namespace StreamDb.Cli;

/// <summary>A command's option: its spellings (the first is the canonical one), whether it takes
/// a value, and its line in the command's help.</summary>
internal sealed record OptionSpec(string[] Names, string? ValueName, string Help)
{
    public string Canonical => Names[0];

    public bool TakesValue => ValueName is not null;
}
