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

    /// <summary>A malloc'd NUL-terminated copy.</summary>
    public static byte* CopyTerminated(ReadOnlySpan<byte> data)
    {
        byte* p = (byte*)NativeMemory.Alloc((nuint)data.Length + 1);
        data.CopyTo(new Span<byte>(p, data.Length));
        p[data.Length] = 0;
        return p;
    }
}
