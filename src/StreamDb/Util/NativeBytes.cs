using System.Runtime.InteropServices;

namespace StreamDb.Util;

/// <summary>
/// A byte buffer outside the managed heap, for large buffers that live only for one call (the
/// index streams read on open): freed at once on dispose and given back to the OS, where a
/// large managed array would stay committed in the GC heap until a full collection.
/// </summary>
internal sealed unsafe class NativeBytes : IDisposable
{
    private byte* pointer;

    public NativeBytes(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        pointer = length == 0 ? null : (byte*)NativeMemory.Alloc((nuint)length);
    }

    public int Length { get; }

    public Span<byte> Span => pointer is null ? Span<byte>.Empty : new Span<byte>(pointer, Length);

    public void Dispose()
    {
        if (pointer is null) return;
        NativeMemory.Free(pointer);
        pointer = null;
    }
}
