namespace StreamDb.Native;

/// <summary>
/// Out-structs with a leading struct_size (streamdb_stats, streamdb_doc_info): 0 means the
/// caller's struct is ours; a smaller size gets only the fields that fit (older callers); a
/// larger one gets ours. On return struct_size says how many bytes were filled.
/// </summary>
internal static unsafe class SizedOutput
{
    public static int Write<T>(T* target, in T value, string function, string name) where T : unmanaged
    {
        uint declared = *(uint*)target;
        uint ours = (uint)sizeof(T);
        if (declared == 0)
            declared = ours;
        if (declared < 8 || declared > 4096)
            return ErrorState.Invalid($"{function}: {name}->struct_size is {declared}: set it to sizeof({name}'s type) or 0");
        uint filled = Math.Min(declared, ours);
        var copy = value;
        *(uint*)&copy = filled;
        Buffer.MemoryCopy(&copy, target, filled, filled);
        return StatusCodes.STREAMDB_OK;
    }
}
