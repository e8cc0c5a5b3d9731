using System.Globalization;
using StreamDb.Compression;
using Xunit.Abstractions;

namespace StreamDb.Tests.Compression;

/// <summary>
/// Mutation fuzzing of the decoder: valid streams (from both codecs and hand-built unusual
/// forms) get bit flips, byte inserts and deletes, truncation, chunk splices and rewritten
/// length fields and offsets. Each mutant is decoded from memory that ends at an unmapped page
/// into an output that ends at one, so any over-read or over-write crashes the run; and the
/// verdict must match libsnappy's: it accepts => we produce the same bytes, it rejects => we
/// report Corrupted.
/// SNAPPY_FUZZ_ITERATIONS (default 300000) and SNAPPY_FUZZ_SEED reproduce or extend a run.
/// </summary>
public sealed class SnappyFuzzTests(ITestOutputHelper output)
{
    private const int OutputCapacity = 256 * 1024;
    private const int MutantCapacity = 160 * 1024;
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x03, 0x7F, 0x80, 0xEC, 0xF0, 0xF4, 0xF8, 0xFC, 0xFD, 0xFE, 0xFF];

    [Fact]
    public void Mutated_streams_stay_in_bounds_and_get_the_same_verdict_as_libsnappy()
    {
        int seed = ReadEnvironment("SNAPPY_FUZZ_SEED", Random.Shared.Next());
        long iterations = ReadEnvironment("SNAPPY_FUZZ_ITERATIONS", 300_000L);
        string header = $"snappy fuzz: seed {seed}, {iterations} mutations (rerun with SNAPPY_FUZZ_SEED={seed} SNAPPY_FUZZ_ITERATIONS={iterations})";
        output.WriteLine(header);
        Console.Error.WriteLine(header);

        var random = new Random(seed);
        List<byte[]> bases = BaseStreams(random);
        using var guardedInput = new GuardedMemory(MutantCapacity);
        using var guardedOutput = new GuardedMemory(OutputCapacity);
        var mutant = new byte[MutantCapacity];
        var reference = new byte[OutputCapacity];
        long accepted = 0, corrupted = 0, tooSmall = 0;

        for (long iteration = 0; iteration < iterations; iteration++)
        {
            byte[] original = bases[random.Next(bases.Count)];
            original.CopyTo(mutant, 0);
            int length = original.Length;
            int mutations = 1 + random.Next(3);
            for (int m = 0; m < mutations; m++)
                length = Mutate(random, mutant, length);

            Span<byte> input = guardedInput.Tail(length);
            mutant.AsSpan(0, length).CopyTo(input);
            // Give the decoder exactly the declared length, so even slop past it would hit the
            // guard page; a claim beyond our capacity gets the whole (too small) buffer.
            int declared = Snappy.TryGetUncompressedLength(input, out int claimed) == Status.Ok && claimed <= OutputCapacity
                ? claimed
                : OutputCapacity;
            Span<byte> destination = guardedOutput.Tail(declared);
            Status ours = Snappy.Decompress(input, destination, out int written);
            LibSnappy.SnappyStatus theirs = LibSnappy.Uncompress(mutant.AsSpan(0, length), reference, out int theirLength);

            bool agree = theirs switch
            {
                LibSnappy.SnappyStatus.Ok => ours == Status.Ok && written == theirLength
                    && destination[..written].SequenceEqual(reference.AsSpan(0, theirLength)),
                LibSnappy.SnappyStatus.InvalidInput => ours == Status.Corrupted,
                // libsnappy only parses the header before refusing a short buffer; we also
                // refuse headers beyond int range as Corrupted.
                _ => ours == Status.BufferTooSmall || (ours == Status.Corrupted && claimed == 0),
            };
            if (!agree)
                Assert.Fail($"{header}: iteration {iteration}: ours {ours} ({LastError.Message}), libsnappy {theirs}; "
                    + $"stream ({length} bytes) {Convert.ToHexString(mutant, 0, Math.Min(length, 256))}");
            if (ours == Status.Ok) accepted++;
            else if (ours == Status.Corrupted) corrupted++;
            else tooSmall++;
        }

        string summary = $"snappy fuzz: {accepted} accepted, {corrupted} corrupted, {tooSmall} buffer too small";
        output.WriteLine(summary);
        Console.Error.WriteLine(summary);
        // A mutator that only ever produced garbage (or only valid streams) would test little.
        Assert.True(iterations < 1000 || (accepted > iterations / 100 && corrupted > iterations / 10), summary);
    }

    private static T ReadEnvironment<T>(string name, T fallback) where T : IParsable<T> =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? T.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static List<byte[]> BaseStreams(Random random)
    {
        var streams = new List<byte[]>();
        for (int i = 0; i < 24; i++)
        {
            int size = i < 20 ? random.Next(0, 3000) : random.Next(60000, 140000);
            byte[] input = (i % 4) switch
            {
                0 => SnappyCorpus.Text(size, random.Next()),
                1 => SnappyCorpus.Json(size, random.Next()),
                2 => SnappyCorpus.Repeat(SnappyCorpus.Random(1 + random.Next(12), random.Next()), size),
                _ => SnappyCorpus.BinaryRecords(size, random.Next()),
            };
            streams.Add(LibSnappy.Compress(input));
            var ours = new byte[Snappy.MaxCompressedLength(input.Length)];
            streams.Add(ours[..Snappy.Compress(input, ours)]);
        }
        streams.Add(SnappyStream.WithLength(5 + 40 + 64).Literal("hello", 4).Literal(SnappyCorpus.Random(40, 1), 3).Copy4(20, 64).ToArray());
        streams.Add(SnappyStream.WithLength(300).Literal("ab", 1).Copy2(2, 64).Copy1(1, 11).Copy4(7, 64).Copy2(64, 64).Copy2(3, 64).Copy1(100, 9).ToArray());
        streams.Add([0x00]);
        return streams;
    }

    /// <summary>Applies one random mutation to data[..length]; returns the new length.</summary>
    private static int Mutate(Random random, byte[] data, int length)
    {
        switch (random.Next(10))
        {
            case 0 when length > 0: // flip one bit
                data[random.Next(length)] ^= (byte)(1 << random.Next(8));
                return length;
            case 1 when length > 0: // random byte
                data[random.Next(length)] = (byte)random.Next(256);
                return length;
            case 2 when length > 0: // a byte that is a meaningful tag or length
                data[random.Next(length)] = InterestingBytes[random.Next(InterestingBytes.Length)];
                return length;
            case 3 when length < data.Length: // insert a byte
            {
                int at = random.Next(length + 1);
                Array.Copy(data, at, data, at + 1, length - at);
                data[at] = (byte)random.Next(256);
                return length + 1;
            }
            case 4 when length > 0: // delete a byte
            {
                int at = random.Next(length);
                Array.Copy(data, at + 1, data, at, length - at - 1);
                return length - 1;
            }
            case 5: // truncate
                return length == 0 ? 0 : random.Next(length);
            case 6: // rewrite the length header
                return RewriteHeader(random, data, length);
            case 7 when length > 0: // duplicate a chunk somewhere else
            {
                int from = random.Next(length);
                int count = Math.Min(random.Next(1, 64), Math.Min(length - from, data.Length - length));
                int at = random.Next(length + 1);
                byte[] chunk = data[from..(from + count)];
                Array.Copy(data, at, data, at + count, length - at);
                chunk.CopyTo(data, at);
                return length + count;
            }
            case 8 when length > 0: // delete a chunk
            {
                int from = random.Next(length);
                int count = random.Next(1, Math.Min(64, length - from) + 1);
                Array.Copy(data, from + count, data, from, length - from - count);
                return length - count;
            }
            case 9: // rewrite one element's length or offset
                RewriteElement(random, data, length);
                return length;
        }
        return length;
    }

    private static int RewriteHeader(Random random, byte[] data, int length)
    {
        int old = 0;
        while (old < length && old < 10 && (data[old] & 0x80) != 0)
            old++;
        old = Math.Min(old + 1, length);
        ulong current = 0;
        for (int i = 0; i < old; i++)
            current |= (ulong)(data[i] & 0x7F) << (7 * i);
        ulong value = random.Next(8) switch
        {
            0 => 0,
            1 => current + (ulong)random.Next(1, 4),
            2 => current - Math.Min(current, (ulong)random.Next(1, 4)),
            3 => (ulong)random.Next(0, 2 * OutputCapacity),
            4 => int.MaxValue,
            5 => uint.MaxValue,
            6 => (ulong)random.NextInt64(0, 1L << 42),
            _ => (ulong)random.Next(0, 1 << 16),
        };
        var header = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            header.Add(value != 0 ? (byte)(b | 0x80) : b);
        } while (value != 0);
        int padding = random.Next(4) == 0 ? random.Next(1, 4) : 0; // over-long but legal, or too long
        for (int i = 0; i < padding; i++)
        {
            header[^1] |= 0x80;
            header.Add(0);
        }
        int newLength = length - old + header.Count;
        if (newLength > data.Length)
            return length;
        Array.Copy(data, old, data, header.Count, length - old);
        header.CopyTo(data, 0);
        return newLength;
    }

    private static void RewriteElement(Random random, byte[] data, int length)
    {
        int ip = 0;
        while (ip < length && (data[ip] & 0x80) != 0)
            ip++;
        ip++;
        var elements = new List<int>();
        while (ip < length && elements.Count < 4096)
        {
            elements.Add(ip);
            int tag = data[ip];
            ip += (tag & 3) switch
            {
                0 when tag >> 2 < 60 => 1 + (tag >> 2) + 1,
                0 => 1 + (tag >> 2) - 59 + (int)Math.Min(ReadLittleEndian(data, ip + 1, (tag >> 2) - 59, length) + 1, int.MaxValue / 2),
                1 => 2,
                2 => 3,
                _ => 5,
            };
        }
        if (elements.Count == 0)
            return;
        int at = elements[random.Next(elements.Count)];
        int kind = data[at] & 3;
        if (random.Next(2) == 0)
        {
            // new length bits in the tag, same element type
            data[at] = (byte)((random.Next(64) << 2) | kind);
            return;
        }
        int fieldBytes = kind switch { 0 => (data[at] >> 2) >= 60 ? (data[at] >> 2) - 59 : 0, 1 => 1, 2 => 2, _ => 4 };
        for (int i = 1; i <= fieldBytes && at + i < length; i++)
            data[at + i] = random.Next(3) switch { 0 => 0, 1 => 0xFF, _ => (byte)random.Next(256) };
    }

    private static long ReadLittleEndian(byte[] data, int at, int count, int length)
    {
        long value = 0;
        for (int i = 0; i < count && at + i < length; i++)
            value |= (long)data[at + i] << (8 * i);
        return value;
    }
}
