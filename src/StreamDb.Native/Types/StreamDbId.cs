namespace StreamDb.Native;

/// <summary>A document id: a UUID, its 16 bytes in RFC 4122 (big-endian) order.</summary>
[CHeader(20, "streamdb_id")]
public unsafe struct StreamDbId
{
    /// <summary>The UUID's bytes.</summary>
    public fixed byte bytes[16];
}
