using System.Runtime.InteropServices;

namespace StreamDb.Cli;

/// <summary>
/// The few system calls behind stdin, stdout and stderr. System.Console is avoided on purpose:
/// on a terminal it switches the keypad to application mode (ESC [?1h ESC =) before the first
/// write and leaves it so, which a command-line tool must not do; and FileStream over fd 0/1
/// uses pread/pwrite at its own offset, which breaks `{ streamdb get ...; echo; } > file`.
/// Bound at link time (DirectPInvoke in the project file), so no libc.so lookup at run time.
/// </summary>
internal static unsafe partial class Libc
{
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EPIPE = 32;
    private const int SIGPIPE = 13;
    private static readonly nint SIG_IGN = 1;

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "isatty")]
    private static partial int IsATty(int fd);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);

    public static bool IsTerminal(int fd) => IsATty(fd) == 1;

    /// <summary>A reader that went away must end the command with EPIPE, not kill it by signal.</summary>
    public static void IgnoreSigPipe() => Signal(SIGPIPE, SIG_IGN);
}
