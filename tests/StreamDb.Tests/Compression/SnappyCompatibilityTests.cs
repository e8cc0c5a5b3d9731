using StreamDb.Compression;

namespace StreamDb.Tests.Compression;

/// <summary>Our codec and Google's libsnappy read each other's output byte for byte.</summary>
public sealed class SnappyCompatibilityTests
{
    public static IEnumerable<object[]> Corpus() => SnappyCorpus.Names();

    private static byte[] OurCompress(ReadOnlySpan<byte> input)
    {
        var output = new byte[Snappy.MaxCompressedLength(input.Length)];
        int written = Snappy.Compress(input, output);
        return output.AsSpan(0, written).ToArray();
    }

    private static byte[] OurDecompress(ReadOnlySpan<byte> compressed)
    {
        Assert.Equal(Status.Ok, Snappy.TryGetUncompressedLength(compressed, out int length));
        var output = new byte[length];
        Status status = Snappy.Decompress(compressed, output, out int written);
        Assert.True(status == Status.Ok, $"{status}: {LastError.Message}");
        Assert.Equal(length, written);
        return output;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Libsnappy_output_decodes_to_the_original_bytes(string name)
    {
        byte[] input = SnappyCorpus.All[name];
        byte[] compressed = LibSnappy.Compress(input);
        Assert.Equal(input, OurDecompress(compressed));
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Our_output_decodes_with_libsnappy_to_the_original_bytes(string name)
    {
        byte[] input = SnappyCorpus.All[name];
        byte[] compressed = OurCompress(input);
        var output = new byte[input.Length];
        Assert.Equal(LibSnappy.SnappyStatus.Ok, LibSnappy.Uncompress(compressed, output, out int written));
        Assert.Equal(input.Length, written);
        Assert.Equal(input, output);
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Round_trip_restores_the_input(string name)
    {
        byte[] input = SnappyCorpus.All[name];
        Assert.Equal(input, OurDecompress(OurCompress(input)));
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Compressed_size_is_within_two_percent_of_libsnappy(string name)
    {
        byte[] input = SnappyCorpus.All[name];
        int ours = OurCompress(input).Length;
        int theirs = LibSnappy.Compress(input).Length;
        Assert.True(ours <= theirs * 1.02 + 8, $"ours {ours} bytes, libsnappy {theirs} bytes");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(65536)]
    [InlineData(1 << 20)]
    [InlineData(1_000_000_000)]
    public void MaxCompressedLength_matches_libsnappy(int sourceLength) =>
        Assert.Equal(LibSnappy.MaxCompressedLength(sourceLength), Snappy.MaxCompressedLength(sourceLength));

    [Fact]
    public void MaxCompressedLength_rejects_lengths_whose_bound_overflows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Snappy.MaxCompressedLength(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Snappy.MaxCompressedLength(int.MaxValue));
    }

    [Fact]
    public void Compress_rejects_a_destination_shorter_than_the_bound()
    {
        var input = SnappyCorpus.Text(1000, 1);
        var destination = new byte[Snappy.MaxCompressedLength(input.Length) - 1];
        Assert.Throws<ArgumentException>(() => Snappy.Compress(input, destination));
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Uncompressed_length_header_agrees_with_libsnappy(string name)
    {
        byte[] compressed = LibSnappy.Compress(SnappyCorpus.All[name]);
        Assert.Equal(LibSnappy.SnappyStatus.Ok, LibSnappy.UncompressedLength(compressed, out ulong theirs));
        Assert.Equal(Status.Ok, Snappy.TryGetUncompressedLength(compressed, out int ours));
        Assert.Equal(theirs, (ulong)ours);
    }

    [Fact]
    public void Every_length_up_to_600_round_trips_through_both_codecs()
    {
        // Small sizes cross the literal-only cutoff, the 60-byte literal tag limit and the
        // 16-byte fast paths; each size gets text, random and run-heavy content.
        var random = new Random(600);
        for (int length = 0; length <= 600; length++)
        {
            foreach (byte[] input in new[]
                     {
                         SnappyCorpus.Text(length, length),
                         SnappyCorpus.Random(length, length),
                         SnappyCorpus.Repeat(SnappyCorpus.Random(1 + random.Next(20), length), length),
                     })
            {
                byte[] ours = OurCompress(input);
                var output = new byte[length];
                Assert.Equal(LibSnappy.SnappyStatus.Ok, LibSnappy.Uncompress(ours, output, out _));
                Assert.Equal(input, output);
                Assert.Equal(input, OurDecompress(ours));
                Assert.Equal(input, OurDecompress(LibSnappy.Compress(input)));
            }
        }
    }

    [Fact]
    public void Decompress_into_a_larger_destination_writes_only_the_declared_length()
    {
        byte[] input = SnappyCorpus.Text(5000, 3);
        byte[] compressed = LibSnappy.Compress(input);
        var destination = new byte[input.Length + 100];
        destination.AsSpan().Fill(0xEE);
        Assert.Equal(Status.Ok, Snappy.Decompress(compressed, destination, out int written));
        Assert.Equal(input.Length, written);
        Assert.Equal(input, destination[..written]);
        Assert.All(destination[written..], b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void Decompress_into_a_short_destination_reports_BufferTooSmall()
    {
        byte[] input = SnappyCorpus.Text(5000, 3);
        byte[] compressed = OurCompress(input);
        var destination = new byte[input.Length - 1];
        Assert.Equal(Status.BufferTooSmall, Snappy.Decompress(compressed, destination, out int written));
        Assert.Equal(0, written);
        Assert.Contains("5000", LastError.Message);
    }

    [Fact]
    public void Compression_and_decompression_stay_inside_their_spans()
    {
        // Source and destinations end at an unmapped page: an out-of-range access crashes.
        foreach (var (name, input) in SnappyCorpus.All)
        {
            using var source = new GuardedMemory(input.Length);
            input.CopyTo(source.Tail(input.Length));
            int bound = Snappy.MaxCompressedLength(input.Length);
            using var compressedArea = new GuardedMemory(bound);
            int written = Snappy.Compress(source.Tail(input.Length), compressedArea.Tail(bound));
            byte[] compressed = compressedArea.Tail(bound)[..written].ToArray();

            using var guardedCompressed = new GuardedMemory(compressed.Length);
            compressed.CopyTo(guardedCompressed.Tail(compressed.Length));
            using var output = new GuardedMemory(input.Length);
            Status status = Snappy.Decompress(guardedCompressed.Tail(compressed.Length), output.Tail(input.Length), out int length);
            Assert.True(status == Status.Ok, $"{name}: {status} {LastError.Message}");
            Assert.True(output.Tail(input.Length).SequenceEqual(input), name);
            Assert.Equal(input.Length, length);
        }
    }
}
