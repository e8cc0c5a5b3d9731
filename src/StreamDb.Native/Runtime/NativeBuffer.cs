using System.Runtime.InteropServices;

namespace StreamDb.Native;

/// <summary>
/// malloc'd memory: buffers handed to callers (who free them with free()) and the scratch
/// buffers behind borrowed pointers (iterator paths, reader chunks), which must not point
/// into managed memory that the GC may move.
/// </summary>
internal static unsafe class NativeBuffer
{
    /// <summary>A malloc'd copy; never NULL, even for zero bytes.</summary>
    public static byte* Copy(ReadOnlySpan<byte> data)
    {
        byte* p = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, data.Length));
        data.CopyTo(new Span<byte>(p, data.Length));
        return p;
    }

    /// <summary>
    /// Reads a whole document version straight into a new malloc'd buffer (never NULL): the
    /// version is pinned through a reader, so the bytes go from the engine's pages to the
    /// caller's buffer once, with no managed array in between.
    /// </summary>
    public static Status ReadWhole(Database db, ReadOnlySpan<byte> path, int versionsBack, out byte* data, out long length)
    {
        data = null;
        length = 0;
        var status = db.OpenReader(path, out var reader, versionsBack);
        if (status != Status.Ok) return status;
        using (reader)
        {
            long total = reader!.Length;
            byte* p = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, total));
            long done = 0;
            while (done < total)
            {
                int want = (int)Math.Min(total - done, 1 << 30);
                status = reader.ReadAt(done, new Span<byte>(p + done, want), out int copied);
                if (status != Status.Ok || copied != want)
                {
                    NativeMemory.Free(p);
                    return status != Status.Ok ? status : LastError.Set(Status.Internal, "short read of a pinned version");
                }
                done += copied;
            }
            data = p;
            length = total;
            return Status.Ok;
        }
    }

    /// <summary>A malloc'd NUL-terminated copy.</summary>
    public static byte* CopyTerminated(ReadOnlySpan<byte> data)
    {
        byte* p = (byte*)NativeMemory.Alloc((nuint)data.Length + 1);
        data.CopyTo(new Span<byte>(p, data.Length));
        p[data.Length] = 0;
        return p;
    }
}
