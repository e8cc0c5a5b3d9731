namespace StreamDb.Native;

/// <summary>Argument checks shared by the exports; each returns OK or sets the message and returns INVALID.</summary>
internal static unsafe class Args
{
    public static int NotNull(void* pointer, string function, string name) =>
        pointer != null ? StatusCodes.STREAMDB_OK : ErrorState.Invalid($"{function}: {name} is NULL");

    /// <summary>
    /// The (pointer, length) pair as a span. The engine validates the bytes (length 1..4096,
    /// UTF-8, no NUL); only what cannot be a span is refused here.
    /// </summary>
    public static int Bytes(void* pointer, nuint length, string function, string name, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (pointer == null && length != 0)
            return ErrorState.Invalid($"{function}: {name} is NULL but {name}_len is {length}");
        if (length > int.MaxValue)
            return ErrorState.Invalid($"{function}: {name}_len {length} is over the limit of 4096 bytes");
        bytes = new ReadOnlySpan<byte>(pointer, (int)length);
        return StatusCodes.STREAMDB_OK;
    }

    /// <summary>Document data: NULL is fine only with length 0 (an empty document).</summary>
    public static int Data(void* pointer, nuint length, string function)
    {
        if (pointer == null && length != 0)
            return ErrorState.Invalid($"{function}: data is NULL but len is {length}");
        return StatusCodes.STREAMDB_OK;
    }

    /// <summary>A NUL-terminated UTF-8 file name.</summary>
    public static int FileName(byte* file, string function, out string name)
    {
        name = "";
        if (file == null)
            return ErrorState.Invalid($"{function}: file is NULL");
        var bytes = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated(file);
        if (bytes.Length == 0)
            return ErrorState.Invalid($"{function}: file is an empty string");
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
            return ErrorState.Invalid($"{function}: file name is not valid UTF-8");
        name = System.Text.Encoding.UTF8.GetString(bytes);
        return StatusCodes.STREAMDB_OK;
    }
}
