using System.Text;

namespace SnappyCompare;

/// <summary>The benchmark's inputs, generated from fixed seeds so every run measures the same bytes.</summary>
internal static class Inputs
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

    /// <summary>Prose-like text: words drawn with a skew toward common ones, sentences, line breaks.</summary>
    internal static byte[] Text(int length, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(length + 32);
        int sentence = 0;
        while (text.Length < length)
        {
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

    /// <summary>An array of document-metadata records, the kind of JSON StreamDb users store.</summary>
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

    internal static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
