using System.Text;

namespace StreamDb.Tests.Compression;

/// <summary>
/// Deterministic inputs covering what the codec meets in practice (text, JSON, structured
/// binary, incompressible bytes) and its edges (empty, one byte, block boundaries, long runs).
/// </summary>
internal static class SnappyCorpus
{
    private static readonly string[] Words =
    [
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be",
        "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have",
        "an", "had", "they", "you", "were", "their", "one", "all", "we", "can", "her", "has",
        "there", "been", "if", "more", "when", "will", "would", "who", "so", "no", "database",
        "document", "stream", "page", "commit", "journal", "checksum", "compression", "snappy",
        "transaction", "recovery", "storage", "binary", "asset", "machine", "reader", "writer",
        "throughput", "latency", "durable", "crash", "consistent", "prefix", "listing", "chunk",
    ];

    private static readonly Lazy<Dictionary<string, byte[]>> Cases = new(Build);

    internal static IReadOnlyDictionary<string, byte[]> All => Cases.Value;

    internal static IEnumerable<object[]> Names() => Cases.Value.Keys.Select(k => new object[] { k });

    private static Dictionary<string, byte[]> Build() => new()
    {
        ["empty"] = [],
        ["one byte"] = [0x5A],
        ["fifteen bytes"] = Text(15, 1),
        ["sixteen bytes"] = Text(16, 1),
        ["text 4 KiB"] = Text(4096, 2),
        ["text 64 KiB"] = Text(65536, 3),
        ["text 1 MiB"] = Text(1 << 20, 4),
        ["json 64 KiB"] = Json(65536, 5),
        ["json 1 MiB"] = Json(1 << 20, 6),
        ["binary records 256 KiB"] = BinaryRecords(256 * 1024, 7),
        ["random 1 KiB"] = Random(1024, 8),
        ["random 64 KiB"] = Random(65536, 9),
        ["random 1 MiB"] = Random(1 << 20, 10),
        ["random 65537"] = Random(65537, 11),
        ["text 65535"] = Text(65535, 12),
        ["text 65537"] = Text(65537, 13),
        ["text 131077"] = Text(131077, 14),
        ["zeros 1 MiB"] = new byte[1 << 20],
        ["repeat 1-byte pattern 100000"] = Repeat([7], 100000),
        ["repeat 3-byte pattern 100000"] = Repeat([1, 2, 3], 100000),
        ["repeat 7-byte pattern 100000"] = Repeat("abcdefg"u8.ToArray(), 100000),
        ["repeat 13-byte pattern 100000"] = Repeat("hello, world!"u8.ToArray(), 100000),
        ["repeat 1000-byte random block 300000"] = Repeat(Random(1000, 15), 300000),
        ["random then its copy"] = [.. Random(30000, 16), .. Random(30000, 16)],
        ["mixed random and text"] = Mixed(200000, 17),
    };

    internal static byte[] Text(int length, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(length + 32);
        int sentence = 0;
        while (text.Length < length)
        {
            // Squaring the uniform draw skews choices toward the front of the list, roughly
            // like word frequencies in prose.
            double u = random.NextDouble();
            string word = Words[(int)(u * u * Words.Length)];
            text.Append(sentence == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
            sentence++;
            if (sentence > 6 && random.Next(8) == 0)
            {
                text.Append(random.Next(5) == 0 ? ".\n" : ". ");
                sentence = 0;
            }
            else
            {
                text.Append(random.Next(12) == 0 ? ", " : " ");
            }
        }
        return Encoding.ASCII.GetBytes(text.ToString(0, length));
    }

    internal static byte[] Json(int length, int seed)
    {
        var random = new Random(seed);
        var json = new StringBuilder(length + 256);
        json.Append('[');
        for (int id = 1; json.Length < length; id++)
        {
            json.Append($"{{\"id\":{id},\"path\":\"/{random.Next(100):D2}/{random.Next(100):D2}/{random.Next(100):D2}\",")
                .Append($"\"name\":\"{Words[random.Next(Words.Length)]}_{random.Next(100000)}\",")
                .Append($"\"size\":{random.Next(1, 1 << 20)},\"crc\":\"{random.Next():x8}\",")
                .Append($"\"compressed\":{(random.Next(2) == 0 ? "true" : "false")},")
                .Append($"\"tags\":[\"{Words[random.Next(Words.Length)]}\",\"{Words[random.Next(Words.Length)]}\"],")
                .Append($"\"score\":{random.NextDouble() * 100:F3}}},\n");
        }
        return Encoding.ASCII.GetBytes(json.ToString(0, length));
    }

    /// <summary>Fixed-size records with counters, small enums and noisy floats.</summary>
    internal static byte[] BinaryRecords(int length, int seed)
    {
        var random = new Random(seed);
        var data = new byte[length];
        for (int offset = 0, record = 0; offset + 32 <= length; offset += 32, record++)
        {
            var span = data.AsSpan(offset, 32);
            BitConverter.TryWriteBytes(span, record);
            BitConverter.TryWriteBytes(span[4..], (long)record * 4096);
            span[12] = (byte)random.Next(4);
            BitConverter.TryWriteBytes(span[16..], (float)(random.NextDouble() * 1000));
            BitConverter.TryWriteBytes(span[20..], 0xCAFEBABEu);
            BitConverter.TryWriteBytes(span[24..], random.Next(100));
        }
        return data;
    }

    internal static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    internal static byte[] Repeat(byte[] pattern, int length)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
            data[i] = pattern[i % pattern.Length];
        return data;
    }

    private static byte[] Mixed(int length, int seed)
    {
        var random = new Random(seed);
        var data = new List<byte>(length);
        while (data.Count < length)
        {
            int piece = random.Next(1, 5000);
            data.AddRange(random.Next(2) == 0 ? Random(piece, random.Next()) : Text(piece, random.Next()));
        }
        return data.GetRange(0, length).ToArray();
    }
}
