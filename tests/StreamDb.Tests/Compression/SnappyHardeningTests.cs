using StreamDb.Compression;

namespace StreamDb.Tests.Compression;

/// <summary>
/// Each way a stream can be malformed, built by hand: the decoder reports Corrupted with a
/// reason, and libsnappy rejects the same bytes. Valid but unusual encodings decode as
/// libsnappy decodes them.
/// </summary>
public sealed class SnappyHardeningTests
{
    private static readonly Dictionary<string, (byte[] Stream, string Reason)> Hostile = new()
    {
        ["empty input"] = ([], "empty input"),
        ["length header cut after a continuation byte"] = ([0x80], "truncated"),
        ["length header of six bytes"] = ([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], "longer than 5"),
        ["length header over 32 bits"] = ([0xFF, 0xFF, 0xFF, 0xFF, 0x1F], "exceeds"),
        ["literal longer than the remaining input"] = (SnappyStream.WithLength(10).LiteralHeader(10).Bytes("hello"u8).ToArray(), "past the end of the input"),
        ["literal longer than the declared length"] = (SnappyStream.WithLength(3).Literal("hello").ToArray(), "past the declared"),
        ["literal length bytes cut off"] = (SnappyStream.WithLength(100).Bytes([0xF4, 7]).ToArray(), "literal length bytes"),
        ["literal with a 4-byte length of 2^32"] = (SnappyStream.WithLength(10).LiteralHeader(1UL << 32, 4).Bytes("abcdefghij"u8).ToArray(), "literal runs past"),
        ["copy with offset 0"] = (SnappyStream.WithLength(8).Literal("abcd").Copy1(0, 4).ToArray(), "offset 0"),
        ["copy with 2-byte offset 0"] = (SnappyStream.WithLength(8).Literal("abcd").Copy2(0, 4).ToArray(), "offset 0"),
        ["copy reaching before the start"] = (SnappyStream.WithLength(8).Literal("abcd").Copy2(5, 4).ToArray(), "before the start"),
        ["copy with a 4-byte offset of 2^32-1"] = (SnappyStream.WithLength(8).Literal("abcd").Copy4(uint.MaxValue, 4).ToArray(), "before the start"),
        ["copy as the first element"] = (SnappyStream.WithLength(4).Copy1(1, 4).ToArray(), "before the start"),
        ["copy past the declared length"] = (SnappyStream.WithLength(8).Literal("abcd").Copy1(4, 8).ToArray(), "copy runs past"),
        ["long copy past the declared length"] = (SnappyStream.WithLength(100).Literal("abcd").Copy2(4, 64).Copy2(4, 64).ToArray(), "copy runs past"),
        ["1-byte-offset copy missing its offset"] = (SnappyStream.WithLength(8).Literal("abcd").Bytes([0x01]).ToArray(), "truncated"),
        ["2-byte-offset copy missing an offset byte"] = (SnappyStream.WithLength(8).Literal("abcd").Bytes([0x0E, 0x04]).ToArray(), "truncated"),
        ["4-byte-offset copy missing offset bytes"] = (SnappyStream.WithLength(8).Literal("abcd").Bytes([0x0F, 0x04, 0x00, 0x00]).ToArray(), "truncated"),
        ["input ending before the declared length"] = (SnappyStream.WithLength(10).Literal("abcd").ToArray(), "input ends before"),
        ["header only with a non-zero length"] = (SnappyStream.WithLength(5).ToArray(), "input ends before"),
        ["bytes after the output is complete"] = (SnappyStream.WithLength(4).Literal("abcd").Literal("e").ToArray(), "past the declared"),
        ["copy after the output is complete"] = (SnappyStream.WithLength(4).Literal("abcd").Copy1(4, 4).ToArray(), "copy runs past"),
        ["zero length with trailing garbage"] = ([0x00, 0x00, 0x41], "past the declared"),
    };

    private static readonly Dictionary<string, (byte[] Stream, byte[] Expected)> Unusual = new()
    {
        ["zero-length stream"] = ([0x00], []),
        ["two literals in a row"] = (SnappyStream.WithLength(10).Literal("hello").Literal("world").ToArray(), "helloworld"u8.ToArray()),
        ["literal with a 1-byte length field"] = (SnappyStream.WithLength(5).Literal("hello", 1).ToArray(), "hello"u8.ToArray()),
        ["literal with a 2-byte length field"] = (SnappyStream.WithLength(5).Literal("hello", 2).ToArray(), "hello"u8.ToArray()),
        ["literal with a 3-byte length field"] = (SnappyStream.WithLength(5).Literal("hello", 3).ToArray(), "hello"u8.ToArray()),
        ["literal with a 4-byte length field"] = (SnappyStream.WithLength(5).Literal("hello", 4).ToArray(), "hello"u8.ToArray()),
        ["literal of 70000 bytes with a 3-byte length field"] = (SnappyStream.WithLength(70000).Literal(SnappyCorpus.Random(70000, 1), 3).ToArray(), SnappyCorpus.Random(70000, 1)),
        ["copy with a 4-byte offset"] = (SnappyStream.WithLength(12).Literal("abcdefgh").Copy4(8, 4).ToArray(), "abcdefghabcd"u8.ToArray()),
        ["copy of offset 1 repeats one byte"] = (SnappyStream.WithLength(65).Literal("z").Copy2(1, 64).ToArray(), Enumerable.Repeat((byte)'z', 65).ToArray()),
        ["copies of offsets 2 to 7 expand patterns"] = (
            SnappyStream.WithLength(7 + 6 * 64 + 5).Literal("abcdefg").Copy2(2, 64).Copy2(3, 64).Copy2(4, 64).Copy2(5, 64).Copy2(6, 64).Copy2(7, 64).Literal("xyzzy").ToArray(),
            ExpandCopies("abcdefg"u8.ToArray(), [2, 3, 4, 5, 6, 7], 64, "xyzzy"u8.ToArray())),
        ["copy ending exactly at the declared length"] = (SnappyStream.WithLength(20).Literal("0123456789").Copy1(10, 10).ToArray(), "01234567890123456789"u8.ToArray()),
        ["copy of the largest 1-byte-offset distance"] = (SnappyStream.WithLength(2047 + 11).Literal(SnappyCorpus.Random(2047, 2)).Copy1(2047, 11).ToArray(), [.. SnappyCorpus.Random(2047, 2), .. SnappyCorpus.Random(2047, 2).AsSpan(0, 11)]),
    };

    public static IEnumerable<object[]> HostileNames() => Hostile.Keys.Select(k => new object[] { k });
    public static IEnumerable<object[]> UnusualNames() => Unusual.Keys.Select(k => new object[] { k });

    private static byte[] ExpandCopies(byte[] start, int[] offsets, int length, byte[] tail)
    {
        var output = new List<byte>(start);
        foreach (int offset in offsets)
            for (int i = 0; i < length; i++)
                output.Add(output[^offset]);
        output.AddRange(tail);
        return [.. output];
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void Malformed_stream_is_reported_as_Corrupted_with_a_reason(string name)
    {
        var (stream, reason) = Hostile[name];
        var destination = new byte[256];
        LastError.Clear();
        Status status = Snappy.Decompress(stream, destination, out int written);
        Assert.Equal(Status.Corrupted, status);
        Assert.Equal(0, written);
        Assert.Contains(reason, LastError.Message);
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void Malformed_stream_is_rejected_by_libsnappy_too(string name)
    {
        var (stream, _) = Hostile[name];
        var destination = new byte[256];
        Assert.Equal(LibSnappy.SnappyStatus.InvalidInput, LibSnappy.Uncompress(stream, destination, out _));
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void Malformed_stream_never_touches_memory_outside_its_spans(string name)
    {
        var (stream, _) = Hostile[name];
        using var input = new GuardedMemory(stream.Length);
        stream.CopyTo(input.Tail(stream.Length));
        int declared = Snappy.TryGetUncompressedLength(stream, out int length) == Status.Ok ? length : 0;
        using var output = new GuardedMemory(Math.Max(declared, 1));
        Assert.Equal(Status.Corrupted, Snappy.Decompress(input.Tail(stream.Length), output.Tail(declared), out _));
    }

    [Theory]
    [MemberData(nameof(UnusualNames))]
    public void Unusual_but_valid_encoding_decodes_like_libsnappy(string name)
    {
        var (stream, expected) = Unusual[name];
        var ours = new byte[expected.Length];
        Status status = Snappy.Decompress(stream, ours, out int written);
        Assert.True(status == Status.Ok, $"{status}: {LastError.Message}");
        Assert.Equal(expected.Length, written);
        Assert.Equal(expected, ours);

        var theirs = new byte[expected.Length];
        Assert.Equal(LibSnappy.SnappyStatus.Ok, LibSnappy.Uncompress(stream, theirs, out _));
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Length_header_beyond_int_range_is_Corrupted_though_the_format_allows_it()
    {
        // 2^32-1 is a legal Snappy header, but no span can hold it; refusing it up front keeps
        // callers from sizing a buffer by it.
        byte[] stream = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00];
        Assert.Equal(Status.Corrupted, Snappy.TryGetUncompressedLength(stream, out int length));
        Assert.Equal(0, length);
        Assert.Equal(Status.Corrupted, Snappy.Decompress(stream, new byte[16], out _));
        Assert.Contains("exceeds", LastError.Message);
    }

    [Fact]
    public void Huge_declared_length_with_a_small_destination_is_BufferTooSmall_without_decoding()
    {
        byte[] stream = [0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00];
        Assert.Equal(Status.Ok, Snappy.TryGetUncompressedLength(stream, out int length));
        Assert.Equal(int.MaxValue, length);
        Assert.Equal(Status.BufferTooSmall, Snappy.Decompress(stream, new byte[16], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void TryGetUncompressedLength_reports_Corrupted_for_a_truncated_header()
    {
        Assert.Equal(Status.Corrupted, Snappy.TryGetUncompressedLength([], out _));
        Assert.Equal(Status.Corrupted, Snappy.TryGetUncompressedLength([0x80, 0x80], out _));
        Assert.Equal(Status.Ok, Snappy.TryGetUncompressedLength([0xFE, 0xFF, 0x7F], out int length));
        Assert.Equal(2097150, length); // the example in format_description.txt
    }
}
