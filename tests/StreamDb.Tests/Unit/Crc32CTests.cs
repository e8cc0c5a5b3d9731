using System.Runtime.Intrinsics.X86;
using System.Text;
using StreamDb.Pages;
using StreamDb.Util;

namespace StreamDb.Tests.Unit;

public sealed class Crc32CTests
{
    [Fact]
    public void Matches_the_standard_check_value() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void Hardware_crc_instructions_are_available_so_the_fast_path_is_taken() =>
        Assert.True(Sse42.IsSupported, "SSE4.2 missing: BitOperations.Crc32C falls back to a ~80x slower path");

    [Fact]
    public void Every_single_bit_flip_anywhere_in_a_page_is_detected()
    {
        var page = new byte[4096];
        new Random(7).NextBytes(page);
        new PageHeader { Kind = PageKind.Data, DataLength = 100 }.Write(page);
        Crc32C.Stamp(page);
        Assert.True(Crc32C.Check(page));
        for (int bit = 0; bit < page.Length * 8; bit++)
        {
            page[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Crc32C.Check(page), $"flip of bit {bit} not detected");
            page[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }

    [Fact]
    public void The_crc_field_is_excluded_from_its_own_computation()
    {
        var page = new byte[4096];
        new Random(8).NextBytes(page);
        uint a = Crc32C.ComputeWithZeroedField(page);
        page[0] ^= 0xFF;
        Assert.Equal(a, Crc32C.ComputeWithZeroedField(page));
    }
}

public sealed class Crc32CLaneTests
{
    // Byte at a time with the runtime's own helper: shares no code with Append's lanes or its
    // 64-bit steps, so a wrong join table or step cannot hide in both.
    private static uint Bytewise(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = System.Numerics.BitOperations.Crc32C(crc, b);
        return crc;
    }

    [Fact]
    public void The_lane_crc_equals_a_bytewise_crc_for_every_length_and_start_state()
    {
        int seed = 31337;
        var rnd = new Random(seed);
        var data = new byte[9000];
        rnd.NextBytes(data);
        // every length up to 1600 (64- and 256-byte lanes and every tail), then steps that land
        // on and around the 3 x 1024 boundaries
        for (int length = 0; length <= data.Length; length += length < 1600 ? 1 : 37)
        {
            uint start = (uint)rnd.Next();
            int offset = rnd.Next(8);
            var span = data.AsSpan(offset, Math.Min(length, data.Length - offset));
            uint expected = Bytewise(start, span);
            Assert.True(expected == Crc32C.Append(start, span), $"seed {seed}: length {span.Length} at offset {offset}");
            Assert.True(expected == Crc32C.AppendSerial(start, span), $"seed {seed}: serial, length {span.Length}");
        }
        foreach (int length in new[] { 3 * 1024 - 1, 3 * 1024, 3 * 1024 + 192, 6 * 1024 + 3 * 256 + 3 * 64 + 7, 8160, 8192 })
            Assert.Equal(Bytewise(5, data.AsSpan(0, length)), Crc32C.Append(5, data.AsSpan(0, length)));
    }

    [Fact]
    public void A_page_checked_in_three_pieces_gives_the_same_answer_as_checked_whole()
    {
        const int Seed = 11;
        var random = new Random(Seed);
        var page = new byte[8192];
        for (int round = 0; round < 300; round++)
        {
            random.NextBytes(page);
            Crc32C.Stamp(page);
            if (round % 2 == 1) page[random.Next(page.Length)] ^= (byte)(1 << random.Next(8));
            int a = random.Next(4, page.Length + 1), b = random.Next(a, page.Length + 1);
            var span = page.AsSpan();
            Assert.True(Crc32C.Check(page) == Crc32C.Check(span[..a], span[a..b], span[b..]), $"seed {Seed}, round {round}, split {a}/{b}");
        }
    }
}
