namespace StreamDb.Native;

/// <summary>streamdb_id is the UUID in RFC 4122 byte order: the big-endian layout of a Guid.</summary>
internal static unsafe class Ids
{
    public static Guid Read(StreamDbId* id) => new(new ReadOnlySpan<byte>(id->bytes, 16), bigEndian: true);

    public static void Write(Guid guid, StreamDbId* id)
    {
        if (id != null)
            guid.TryWriteBytes(new Span<byte>(id->bytes, 16), bigEndian: true, out _);
    }
}
