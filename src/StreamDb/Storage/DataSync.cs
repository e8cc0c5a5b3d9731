using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StreamDb.Storage;

/// <summary>
/// Makes a file's data durable. On Linux that is fdatasync(2): unlike fsync (what
/// RandomAccess.FlushToDisk does) it skips metadata a later read does not need, such as the
/// modification time, which otherwise costs a journal commit on every sync. Elsewhere, or if
/// libc cannot be bound, it falls back to RandomAccess.FlushToDisk.
/// </summary>
internal static partial class DataSync
{
    private static bool useFdatasync = OperatingSystem.IsLinux();

    public static void Flush(SafeFileHandle handle)
    {
        if (useFdatasync)
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                if (fdatasync((int)handle.DangerousGetHandle()) == 0) return;
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fdatasync failed (errno {errno})", errno);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                useFdatasync = false;
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
        }
        RandomAccess.FlushToDisk(handle);
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int fdatasync(int fd);
}
