using System.Runtime.InteropServices;

namespace StreamDb.Native;

/// <summary>
/// A growable malloc'd buffer owned by one handle; what a borrowed pointer (an iterator's
/// path, a reader's chunk) points at until the next call or the handle's release.
/// </summary>
internal sealed unsafe class ScratchBuffer
{
    private byte* data;
    private int capacity;

    public byte* Fill(ReadOnlySpan<byte> source)
    {
        if (source.Length > capacity || data == null)
        {
            int size = Math.Max(source.Length, 64);
            data = (byte*)NativeMemory.Realloc(data, (nuint)size);
            capacity = size;
        }
        source.CopyTo(new Span<byte>(data, capacity));
        return data;
    }

    public void Release()
    {
        NativeMemory.Free(data);
        data = null;
        capacity = 0;
    }
}
