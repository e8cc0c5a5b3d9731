using System.Runtime.InteropServices;

namespace StreamDb.Tests.Compression;

/// <summary>
/// Memory whose usable area ends exactly at an inaccessible page, so a codec that reads or
/// writes even one byte past the span it was given crashes the test run instead of passing
/// silently.
/// </summary>
internal sealed unsafe partial class GuardedMemory : IDisposable
{
    private const int ProtNone = 0, ProtRead = 1, ProtWrite = 2;
    private const int MapPrivate = 0x02, MapAnonymous = 0x20;

    private readonly byte* start;
    private readonly nuint mappedLength;
    private readonly int capacity;

    internal GuardedMemory(int capacity)
    {
        int page = Environment.SystemPageSize;
        int usable = (capacity + page - 1) / page * page;
        mappedLength = (nuint)(usable + page);
        start = (byte*)Mmap(null, mappedLength, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (start == (byte*)-1)
            throw new InvalidOperationException($"mmap failed: errno {Marshal.GetLastPInvokeError()}");
        if (Mprotect(start + usable, (nuint)page, ProtNone) != 0)
            throw new InvalidOperationException($"mprotect failed: errno {Marshal.GetLastPInvokeError()}");
        this.capacity = usable;
    }

    /// <summary>The last <paramref name="length"/> bytes before the guard page.</summary>
    internal Span<byte> Tail(int length)
    {
        if ((uint)length > (uint)capacity)
            throw new ArgumentOutOfRangeException(nameof(length));
        return new Span<byte>(start + capacity - length, length);
    }

    public void Dispose() => _ = Munmap(start, mappedLength);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static partial int Mprotect(void* address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);
}
