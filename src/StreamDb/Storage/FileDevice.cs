using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StreamDb.Storage;

/// <summary>
/// A device over one file, with positional I/O (no shared file position, so threads never
/// serialize on a seek). The file lock is the runtime's: a writer holds an exclusive advisory
/// lock (flock LOCK_EX on Unix, no sharing on Windows), a read-only opener a shared one, so a
/// second writer, or a reader while a writer is active, is refused with <see cref="DeviceBusyException"/>.
/// </summary>
internal sealed partial class FileDevice : IStorageDevice
{
    // The file grows ahead of use in steps: a sync after a write inside space already written
    // (or reserved) is cheaper than one that also commits the file's new size and block
    // allocation (measured here: about 0.15 ms against 0.33 ms per write and sync). How the
    // step is made is the FileGrowth the opener chose.
    private const long MinGrowth = 64 * 1024;
    private const long MaxGrowth = 8 * 1024 * 1024;
    private static readonly byte[] Zeros = new byte[1 << 20];
    private readonly SafeFileHandle handle;
    private readonly bool syncEnabled;
    private readonly object growLock = new();
    private long writtenEnd;
    private readonly FileGrowth growth;
    // false for good once fallocate is refused (no libc, a file system without it)
    private bool canAllocate = OperatingSystem.IsLinux();

    private FileDevice(SafeFileHandle handle, bool syncEnabled, FileGrowth growth)
    {
        this.handle = handle;
        this.syncEnabled = syncEnabled;
        this.growth = growth;
        writtenEnd = RandomAccess.GetLength(handle);
    }

    /// <summary>Opens (or creates) <paramref name="path"/>. Throws <see cref="DeviceBusyException"/>
    /// when another handle holds a conflicting lock, FileNotFoundException when it does not exist
    /// and <paramref name="create"/> is false. <paramref name="growth"/> says how the file
    /// grows ahead of small writes past its end.</summary>
    public static FileDevice Open(string path, bool readOnly, bool create, bool syncEnabled, FileGrowth growth = FileGrowth.ZeroFill)
    {
        FileMode mode = create && !readOnly ? FileMode.OpenOrCreate : FileMode.Open;
        FileAccess access = readOnly ? FileAccess.Read : FileAccess.ReadWrite;
        FileShare share = readOnly ? FileShare.ReadWrite : FileShare.None;
        try
        {
            return new FileDevice(File.OpenHandle(path, mode, access, share), syncEnabled, growth);
        }
        catch (IOException e) when (IsLockConflict(e))
        {
            throw new DeviceBusyException(path, e);
        }
    }

    // EWOULDBLOCK from flock on Unix; ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows.
    private static bool IsLockConflict(IOException e) =>
        e is not FileNotFoundException and not DirectoryNotFoundException &&
        (e.HResult == 11 || e.HResult == unchecked((int)0x80070020) || e.HResult == unchecked((int)0x80070021));

    public long Length => RandomAccess.GetLength(handle);

    /// <summary>The growth step never takes the file past this (max_db_size).</summary>
    public long MaxLength { get; set; } = long.MaxValue;

    public bool IsPersistent => true;

    internal FileGrowth Growth => growth;

    /// <summary>True until fallocate is refused (then every step zero-fills).</summary>
    internal bool CanAllocate => Volatile.Read(ref canAllocate);

    /// <summary>Growth steps made so far: by reserving blocks, and by writing zeros.</summary>
    internal int ReservedSteps { get; private set; }

    internal int ZeroFilledSteps { get; private set; }

    public void Read(long offset, Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int n = RandomAccess.Read(handle, buffer, offset);
            if (n <= 0)
            {
                buffer.Clear();
                return;
            }
            buffer = buffer[n..];
            offset += n;
        }
    }

    public void ReadScatter(long offset, ReadOnlySpan<IoSegment> segments) =>
        VectoredRead.Read(handle, offset, segments, this);

    // A write that itself extends the file by more than this is a bulk write (a large
    // document): zero-filling ahead of it would write the same region twice, so it just extends
    // the file. Small extensions (commits) get the zero-filled step ahead.
    private const long BulkExtension = 64 * 1024;

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        long end = offset + data.Length;
        long written = Volatile.Read(ref writtenEnd);
        if (end > written)
        {
            if (end - Math.Max(offset, written) > BulkExtension)
            {
                // The end moves before the write, under the lock: a growth step of another
                // writer starts from the end it finds and zero-fills forward, so an end moved
                // only after the write let a concurrent small write zero these bytes (a lost
                // page of a committed document when threads write at once).
                lock (growLock) if (end > writtenEnd) Volatile.Write(ref writtenEnd, end);
                RandomAccess.Write(handle, data, offset);
                return;
            }
            Grow(end);
        }
        RandomAccess.Write(handle, data, offset);
    }

    private void Grow(long end)
    {
        lock (growLock)
        {
            long from = writtenEnd;
            if (end <= from) return;
            // a sixteenth of the file, but at most 8 MiB: zero-filling 64 MiB ahead of one small
            // commit in a 1 GiB file is a stall of its own; 1 MiB steps were so frequent (one per
            // ~40 overwrites of 8-12 KB in bench/compare) that they set the p99 commit latency
            // (0.99 ms against 0.37 ms)
            long to = Math.Max(end, from + Math.Clamp(from / 16, MinGrowth, MaxGrowth));
            to = Math.Max(end, Math.Min((to + MinGrowth - 1) / MinGrowth * MinGrowth, MaxLength));
            if (growth == FileGrowth.Allocate && canAllocate && TryAllocate(from, to - from)) ReservedSteps++;
            else
            {
                for (long pos = from; pos < to; pos += Zeros.Length)
                    RandomAccess.Write(handle, Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, to - pos)), pos);
                ZeroFilledSteps++;
            }
            Volatile.Write(ref writtenEnd, to);
        }
    }

    // fallocate(2) mode 0: blocks reserved and the size extended; bytes already in the range are
    // kept (unlike a zero-fill, it cannot clear what a concurrent write put there). False, and
    // zero-fill from then on, when it is refused.
    private bool TryAllocate(long offset, long length)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (fallocate((int)handle.DangerousGetHandle(), 0, offset, length) == 0) return true;
            int errno = Marshal.GetLastPInvokeError();
            // ENOSPC (28) is real: let the zero-fill report it as the IOException it always was
            if (errno != 28) canAllocate = false;
            return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            canAllocate = false;
            return false;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    // fallocate64: 64-bit offsets on 32-bit glibc too (on 64-bit glibc fallocate is its alias)
    [LibraryImport("libc.so.6", EntryPoint = "fallocate64", SetLastError = true)]
    private static partial int fallocate(int fd, int mode, long offset, long length);

    public void Sync()
    {
        if (syncEnabled) DataSync.Flush(handle);
    }

    public void SetLength(long length)
    {
        lock (growLock)
        {
            RandomAccess.SetLength(handle, length);
            Volatile.Write(ref writtenEnd, length);
        }
    }

    public void Dispose() => handle.Dispose();
}

/// <summary>The file is locked by another writer (or by a writer while opening read-only).</summary>
internal sealed class DeviceBusyException(string path, Exception inner)
    : IOException($"'{path}' is open for writing by another process or handle", inner);
