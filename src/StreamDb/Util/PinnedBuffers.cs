namespace StreamDb.Util;

/// <summary>
/// Reusable byte arrays on the pinned object heap, in power-of-two sizes. A streaming reader's
/// window lives in one, so the native layer can hand the chunk's address to C without copying
/// it, and opening a reader per document does not allocate a large array each time.
/// </summary>
internal static class PinnedBuffers
{
    private const int MinShift = 12;          // 4 KiB
    private const int MaxShift = 20;          // 1 MiB
    private const int KeptPerSize = 8;
    private static readonly Stack<byte[]>[] Free = Enumerable.Range(0, MaxShift - MinShift + 1).Select(_ => new Stack<byte[]>()).ToArray();

    /// <summary>An array of at least <paramref name="minimum"/> bytes (at most 1 MiB).</summary>
    public static byte[] Rent(int minimum)
    {
        int shift = Math.Max(MinShift, 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)Math.Max(1, minimum) - 1));
        if (shift > MaxShift) throw new ArgumentOutOfRangeException(nameof(minimum));
        var stack = Free[shift - MinShift];
        lock (stack)
            if (stack.TryPop(out var kept)) return kept;
        return GC.AllocateUninitializedArray<byte>(1 << shift, pinned: true);
    }

    public static void Return(byte[] buffer)
    {
        int shift = System.Numerics.BitOperations.Log2((uint)buffer.Length);
        if (shift < MinShift || shift > MaxShift || 1 << shift != buffer.Length) return;
        var stack = Free[shift - MinShift];
        lock (stack)
            if (stack.Count < KeptPerSize) stack.Push(buffer);
    }
}
