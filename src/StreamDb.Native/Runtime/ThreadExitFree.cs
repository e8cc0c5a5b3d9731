namespace StreamDb.Native;

/// <summary>
/// Frees a thread's error message buffer when the thread exits. A thread the host created
/// (not .NET) gives the runtime no exit callback, so the buffer is registered with a POSIX
/// thread-specific key whose destructor is libc's free: without it every short-lived host
/// thread that ever saw an error would leak its buffer. The key's slot also keeps the buffer
/// visible to leak checkers (LeakSanitizer scans thread-specific data, not managed statics).
/// </summary>
internal static unsafe partial class ThreadExitFree
{
    private static readonly uint Key = CreateKey();
    private static readonly bool Available = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    /// <summary>Records <paramref name="buffer"/> as the calling thread's, to be freed at its exit.</summary>
    public static void Register(void* buffer)
    {
        if (Available && Key != uint.MaxValue)
            _ = pthread_setspecific(Key, buffer);
    }

    private static uint CreateKey()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()))
            return uint.MaxValue;
        void* free = dlsym(null, "free\0"u8);
        if (free == null)
            return uint.MaxValue;
        uint key;
        return pthread_key_create(&key, free) == 0 ? key : uint.MaxValue;
    }

    [LibraryImport("libc")]
    private static partial int pthread_key_create(uint* key, void* destructor);

    [LibraryImport("libc")]
    private static partial int pthread_setspecific(uint key, void* value);

    [LibraryImport("libc")]
    private static partial void* dlsym(void* handle, ReadOnlySpan<byte> name);
}
