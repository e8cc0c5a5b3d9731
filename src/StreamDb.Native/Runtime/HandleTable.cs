namespace StreamDb.Native;

/// <summary>
/// Every handle the library hands out is a value from this table, not a managed pointer: the
/// value packs a slot index, the slot's generation and a tag, so a NULL, closed, freed or
/// made-up value is recognised and refused (STREAMDB_ERR_INVALID) instead of being
/// dereferenced. Layout: bits 0-23 index + 1, bits 24-55 generation, bits 56-63 the tag 0x5D
/// (never set in a user-space x86-64 pointer, so a stray real pointer is refused too).
/// Lookups take no lock: a slot's binding is replaced atomically.
/// </summary>
internal static class HandleTable
{
    private const int IndexBits = 24;
    private const int MaxSlots = (1 << IndexBits) - 1;
    private const ulong Tag = 0x5DUL << 56;
    private const ulong TagMask = 0xFFUL << 56;

    private sealed record Binding(uint Generation, HandleEntry Entry);

    private sealed class Slot
    {
        public volatile Binding? Current;
        public uint NextGeneration = 1;
    }

    private static readonly object Gate = new();
    private static readonly Stack<int> FreeSlots = new();
    private static Slot[] slots = new Slot[256];
    private static int used;

    public static nint Add(HandleEntry entry)
    {
        lock (Gate)
        {
            int index;
            if (FreeSlots.Count > 0)
            {
                index = FreeSlots.Pop();
            }
            else
            {
                if (used == MaxSlots)
                    throw new InvalidOperationException($"more than {MaxSlots} handles are open");
                if (used == slots.Length)
                {
                    var grown = new Slot[slots.Length * 2];
                    Array.Copy(slots, grown, used);
                    Volatile.Write(ref slots, grown);
                }
                slots[used] = new Slot();
                index = used++;
            }
            var slot = slots[index];
            uint generation = slot.NextGeneration;
            slot.NextGeneration = generation == uint.MaxValue ? 1 : generation + 1;
            slot.Current = new Binding(generation, entry);
            nint handle = (nint)(Tag | ((ulong)generation << IndexBits) | (uint)(index + 1));
            entry.Handle = handle;
            return handle;
        }
    }

    public static T? Find<T>(nint handle) where T : HandleEntry
    {
        var slot = SlotOf(handle, out uint generation);
        var binding = slot?.Current;
        return binding != null && binding.Generation == generation ? binding.Entry as T : null;
    }

    /// <summary>Unbinds the handle; true for exactly one caller per issued handle.</summary>
    public static bool Remove(HandleEntry entry)
    {
        lock (Gate)
        {
            var slot = SlotOf(entry.Handle, out uint generation);
            var binding = slot?.Current;
            if (slot == null || binding == null || binding.Generation != generation || binding.Entry != entry)
                return false;
            slot.Current = null;
            FreeSlots.Push((int)((ulong)entry.Handle & MaxSlots) - 1);
            return true;
        }
    }

    private static Slot? SlotOf(nint handle, out uint generation)
    {
        ulong value = (ulong)handle;
        generation = (uint)(value >> IndexBits);
        if ((value & TagMask) != Tag)
            return null;
        int index = (int)(value & MaxSlots) - 1;
        var table = Volatile.Read(ref slots);
        return index >= 0 && index < table.Length ? table[index] : null;
    }
}
