using System.Runtime.InteropServices;
using System.Text;

namespace StreamDb.Native;

/// <summary>
/// The calling thread's last error message, kept in native memory so that streamdb_errmsg can
/// hand out a pointer that stays valid until the thread's next call. Every export ends by
/// setting it: cleared on success, the engine's (or its own) message on failure.
/// </summary>
internal static unsafe class ErrorState
{
    [ThreadStatic] private static byte* buffer;
    [ThreadStatic] private static int capacity;

    /// <summary>The message as a NUL-terminated UTF-8 string; never NULL.</summary>
    public static byte* Current => buffer != null ? buffer : StaticText.Empty;

    /// <summary>Clears the message and returns <paramref name="status"/> (OK or DONE).</summary>
    public static int Success(int status = StatusCodes.STREAMDB_OK)
    {
        if (buffer != null)
            buffer[0] = 0;
        return status;
    }

    public static int Fail(int status, string message)
    {
        int needed = Encoding.UTF8.GetByteCount(message) + 1;
        if (needed > capacity)
        {
            int size = Math.Max(needed, 256);
            buffer = (byte*)NativeMemory.Realloc(buffer, (nuint)size);
            capacity = size;
            ThreadExitFree.Register(buffer);
        }
        int written = Encoding.UTF8.GetBytes(message, new Span<byte>(buffer, capacity - 1));
        buffer[written] = 0;
        return status;
    }

    public static int Invalid(string message) => Fail(StatusCodes.STREAMDB_ERR_INVALID, message);

    /// <summary>Maps an engine status: the engine's message for errors, cleared otherwise.</summary>
    public static int From(Status status, string function)
    {
        if (status >= 0)
            return Success((int)status);
        string message = LastError.Message;
        return Fail((int)status, message.Length > 0 ? $"{function}: {message}" : $"{function}: {StatusText.Describe((int)status)}");
    }

    /// <summary>An exception reached the boundary: a bug, reported instead of killing the host.</summary>
    public static int Internal(string function, Exception e) =>
        Fail(StatusCodes.STREAMDB_ERR_INTERNAL, $"{function}: internal error: {e.GetType().Name}: {e.Message}");
}
