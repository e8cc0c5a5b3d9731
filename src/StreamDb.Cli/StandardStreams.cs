namespace StreamDb.Cli;

/// <summary>Raw byte streams for stdin and stdout: documents are binary and paths are UTF-8
/// bytes, so nothing goes through a TextWriter's encoding.</summary>
internal static class StandardStreams
{
    private const int BufferSize = 1 << 16;

    /// <summary>Buffered stdout; the caller flushes. A reader that went away (EPIPE) is ignored
    /// by the runtime's console stream, so `streamdb ls DB | head` ends quietly.</summary>
    public static Stream OpenOutput() => new BufferedStream(Console.OpenStandardOutput(), BufferSize);

    public static Stream OpenInput() => Console.OpenStandardInput(BufferSize);
}
