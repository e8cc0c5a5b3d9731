using System.Diagnostics;
using System.Globalization;

namespace StreamDb.Cli;

/// <summary>
/// One self-overwriting line on stderr for import and export. It appears only for large trees
/// and only when both stdout and stderr are terminals: in a pipe or a log file it would be
/// noise (carriage returns) that a script would have to filter out.
/// </summary>
internal sealed class ProgressBar : IDisposable
{
    public const int LargeTreeFiles = 256;
    public const long LargeTreeBytes = 32L << 20;
    private const int BarWidth = 30;
    private static readonly long RedrawTicks = Stopwatch.Frequency / 10;

    private readonly string verb;
    private readonly long totalFiles;
    private readonly long totalBytes;
    private readonly bool visible;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long lastDraw = -RedrawTicks;
    private long files;
    private long bytes;
    private bool drawn;

    private ProgressBar(string verb, long totalFiles, long totalBytes, bool visible)
    {
        this.verb = verb;
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
        this.visible = visible;
    }

    /// <summary>totalBytes may be unknown (-1); progress then counts files only.</summary>
    public static ProgressBar Start(string verb, long totalFiles, long totalBytes, bool suppressed)
    {
        var large = totalFiles >= LargeTreeFiles || totalBytes >= LargeTreeBytes;
        var terminal = StandardStreams.ErrorIsTerminal && StandardStreams.OutputIsTerminal;
        return new ProgressBar(verb, totalFiles, totalBytes, large && terminal && !suppressed);
    }

    public void Advance(long fileBytes)
    {
        files++;
        bytes += fileBytes;
        if (!visible)
            return;
        var now = clock.ElapsedTicks;
        if (files < totalFiles && now - lastDraw < RedrawTicks)
            return;
        lastDraw = now;
        Draw();
    }

    private void Draw()
    {
        var fraction = totalBytes > 0 ? (double)bytes / totalBytes
            : totalFiles > 0 ? (double)files / totalFiles : 1.0;
        fraction = Math.Clamp(fraction, 0, 1);
        var filled = (int)Math.Round(fraction * BarWidth);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"\r{verb} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction * 100,3:0}%  {files}/{totalFiles} files  {ByteSize.Format(bytes)}\u001b[K");
        Messages.WriteError(line);
        drawn = true;
    }

    /// <summary>Ends the bar's line so later messages start on a fresh one.</summary>
    public void Dispose()
    {
        if (drawn)
            Messages.WriteError("\n");
    }
}
