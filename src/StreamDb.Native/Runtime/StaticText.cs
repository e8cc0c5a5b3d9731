using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StreamDb.Native;

/// <summary>
/// NUL-terminated UTF-8 strings with static lifetime for the functions that return const
/// char * the caller never frees. u8 literals live in the library's read-only data, so their
/// addresses never move.
/// </summary>
internal static unsafe class StaticText
{
    public static byte* Empty => Pointer("\0"u8);

    public static byte* Version => Pointer("0.1.0\0"u8);

    public static byte* Pointer(ReadOnlySpan<byte> literal) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(literal));
}
