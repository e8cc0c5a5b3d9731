using System.Text;

namespace StreamDb.Cli;

/// <summary>Text on stdout is always UTF-8, whatever the locale says, so paths print as stored.</summary>
internal static class TextOutput
{
    public static StreamWriter Open() => new(StandardStreams.OpenOutput(), new UTF8Encoding(false)) { NewLine = "\n" };
}
