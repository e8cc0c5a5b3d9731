namespace StreamDb;

/// <summary>
/// The message that goes with the last non-OK status returned to this thread. Status codes
/// are how the engine reports expected failures (a missing path, a full database); the
/// message says which path, which page, which limit. The C ABI's streamdb_errmsg reads it.
/// </summary>
public static class LastError
{
    [ThreadStatic] private static string? message;

    /// <summary>The calling thread's last error message; "" when there is none.</summary>
    public static string Message => message ?? "";

    public static void Clear() => message = null;

    /// <summary>Records <paramref name="text"/> for this thread and returns <paramref name="status"/>.</summary>
    public static Status Set(Status status, string text)
    {
        message = text;
        return status;
    }

    /// <summary>Throws a <see cref="StreamDbException"/> when <paramref name="status"/> is an error.</summary>
    public static void ThrowIfError(this Status status)
    {
        if (status < 0)
            throw new StreamDbException(status, message is { Length: > 0 } m ? m : status.ToString());
    }
}
