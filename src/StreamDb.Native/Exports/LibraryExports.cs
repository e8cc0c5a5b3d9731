using System.Runtime.InteropServices;

namespace StreamDb.Native;

/// <summary>Library: version, error messages, buffers.</summary>
[CHeader(100)]
public static unsafe class LibraryExports
{
    /// <summary>The library's version, "MAJOR.MINOR.PATCH" (compare with STREAMDB_VERSION_STRING).</summary>
    /// <returns>A static string; never NULL, never freed.</returns>
    /// <remarks>Any thread. Does not change streamdb_errmsg().</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_version")]
    [return: Const, CType("const char *")]
    public static byte* streamdb_version() => StaticText.Version;

    /// <summary>The calling thread's last error message: what the last failed streamdb_* call on
    /// this thread went wrong with (which argument, path, limit or page).</summary>
    /// <returns>UTF-8, owned by the library, valid until this thread's next streamdb_* call;
    /// never NULL; "" when the last call succeeded.</returns>
    /// <remarks>Any thread; each thread has its own message. Does not change the message.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_errmsg")]
    [return: Const, CType("const char *")]
    public static byte* streamdb_errmsg() => ErrorState.Current;

    /// <summary>The fixed description of a status code.</summary>
    /// <param name="status">Any value; unknown ones get "unknown status code".</param>
    /// <returns>A static string; never NULL, never freed.</returns>
    /// <remarks>Any thread. Does not change streamdb_errmsg().</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_strerror")]
    [return: Const, CType("const char *")]
    public static byte* streamdb_strerror(int status) => StatusText.Pointer(status);

    /// <summary>Frees a buffer the library returned (streamdb_read, streamdb_read_version,
    /// streamdb_get, streamdb_op_result). Same as free(buffer).</summary>
    /// <param name="buffer">A buffer from the library, or NULL (nothing happens).</param>
    /// <remarks>Any thread.</remarks>
    [UnmanagedCallersOnly(EntryPoint = "streamdb_free_buffer")]
    public static void streamdb_free_buffer(void* buffer)
    {
        NativeMemory.Free(buffer);
        ErrorState.Success();
    }
}
