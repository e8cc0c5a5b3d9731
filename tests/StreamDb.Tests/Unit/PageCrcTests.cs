using System.Buffers.Binary;
using StreamDb.Pages;

namespace StreamDb.Tests.Unit;

public sealed class PageCrcTests
{
    private static byte[] DataPage(int pageSize, bool first, int dataLength, int seed)
    {
        var page = new byte[pageSize];
        int held = PageCrc.CoveredByData(first, dataLength);
        new Random(seed).NextBytes(page.AsSpan(PageHeader.Size, held - PageHeader.Size));
        new PageHeader { Kind = PageKind.Data, Flags = first ? PageFlags.First : PageFlags.None, DataLength = dataLength, Stamp = 7 }.Write(page);
        PageCrc.StampData(page);
        return page;
    }

    [Theory]
    [InlineData(true, 100)]
    [InlineData(false, 100)]
    [InlineData(false, 8192 - 32)]
    public void A_short_crc_page_covers_its_header_and_held_bytes_and_ignores_its_tail(bool first, int dataLength)
    {
        var page = DataPage(8192, first, dataLength, 1);
        Assert.NotEqual(0, page[25] & (byte)PageFlags.ShortCrc);
        Assert.Equal(PageCrc.CoveredByData(first, dataLength), PageCrc.Covered(page, page.Length));
        Assert.True(PageCrc.Check(page));
        int held = PageCrc.Covered(page, page.Length);
        if (held < page.Length)
        {
            page[^1] ^= 0x40; // the tail holds nothing
            Assert.True(PageCrc.Check(page));
        }
        page[held - 1] ^= 0x40; // the last held byte
        Assert.False(PageCrc.Check(page));
    }

    [Theory]
    [InlineData(8192 - 32 + 1)]
    [InlineData(int.MaxValue)]
    [InlineData(-1)] // 0xFFFFFFFF as stored
    public void A_length_field_larger_than_the_page_fails_the_check_without_reading_past_it(int dataLength)
    {
        var page = DataPage(8192, false, 100, 2);
        BinaryPrimitives.WriteInt32LittleEndian(page.AsSpan(28), dataLength);
        Assert.Equal(-1, PageCrc.Covered(page, page.Length));
        Assert.False(PageCrc.Check(page));
    }

    [Fact]
    public void A_page_without_the_flag_is_covered_whole()
    {
        var page = DataPage(4096, false, 100, 3);
        page[25] &= unchecked((byte)~PageFlags.ShortCrc);
        StreamDb.Util.Crc32C.Stamp(page);
        Assert.Equal(4096, PageCrc.Covered(page, page.Length));
        Assert.True(PageCrc.Check(page));
        page[^1] ^= 1;
        Assert.False(PageCrc.Check(page));
    }
}
