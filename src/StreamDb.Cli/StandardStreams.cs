using System.Text;

namespace StreamDb.Cli;

/// <summary>
/// stdin, stdout and stderr as raw byte streams (documents are binary, paths are UTF-8 bytes)
/// and as UTF-8 text writers whatever the locale says. Out and Output share one buffer, so text
/// and bytes keep their order; CommandLine flushes both before exiting.
/// </summary>
internal static class StandardStreams
{
    private const int BufferSize = 1 << 16;
    private static readonly UTF8Encoding Utf8 = new(false);

    public static Stream Input { get; } = new FdStream(0, writable: false);

    public static Stream Output { get; } = new BufferedStream(new FdStream(1, writable: true), BufferSize);

    public static TextWriter Out { get; } = new StreamWriter(Output, Utf8, 4096, leaveOpen: true) { NewLine = "\n" };

    /// <summary>Unbuffered: a message must be out before the process exits or blocks.</summary>
    public static TextWriter Error { get; } = new StreamWriter(new FdStream(2, writable: true), Utf8, 4096, leaveOpen: true) { NewLine = "\n", AutoFlush = true };

    public static bool OutputIsTerminal => Libc.IsTerminal(1);

    public static bool ErrorIsTerminal => Libc.IsTerminal(2);

    public static void Flush()
    {
        Out.Flush();
        Output.Flush();
    }
}
