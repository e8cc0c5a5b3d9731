using System.Runtime.InteropServices;

namespace StreamDb.Util;

/// <summary>
/// Makes a large, freshly allocated buffer resident in one call before it is filled. Filling
/// 7 MB of new memory page by page took a page fault per 4 KiB, about half of an open's time
/// copying the checkpoint in; one madvise(MADV_POPULATE_WRITE) (Linux 5.14 and later) maps the
/// same pages for about half the cost. Elsewhere, or when the kernel refuses, nothing happens
/// and the pages fault in as they are written, as before. Only an optimisation: never fails.
/// </summary>
internal static unsafe partial class Prefault
{
    private const int MadvPopulateWrite = 23;
    private const int MinBytes = 1 << 20; // below this the faults cost less than the call

    private static bool unsupported = !OperatingSystem.IsLinux();

    public static void Populate(Span<byte> buffer)
    {
        if (unsupported || buffer.Length < MinBytes) return;
        fixed (byte* p = buffer)
        {
            // madvise takes whole pages: the ones entirely inside the buffer
            nuint page = (nuint)Environment.SystemPageSize;
            nuint start = ((nuint)p + page - 1) & ~(page - 1);
            nuint end = ((nuint)p + (nuint)buffer.Length) & ~(page - 1);
            if (end <= start) return;
            try
            {
                if (madvise((void*)start, end - start, MadvPopulateWrite) != 0 && Marshal.GetLastPInvokeError() == 22 /* EINVAL: an older kernel */)
                    unsupported = true;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                unsupported = true;
            }
        }
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int madvise(void* address, nuint length, int advice);
}
