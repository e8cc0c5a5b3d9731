using System.Buffers.Binary;
using StreamDb.Commit;
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
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(8192 - 32 - 16)]
    public void A_journal_page_is_short_crc_over_its_header_write_ids_and_every_record_byte(int recordBytes)
    {
        var records = new byte[recordBytes];
        new Random(recordBytes).NextBytes(records);
        var page = new byte[8192];
        new Random(1).NextBytes(page); // a recycled buffer: Build clears it
        MetaChain.Build(page, PageKind.Journal, writeId: 9, prevWriteId: 8, prev: 3, next: 0, records, PageFlags.ShortCrc);
        Assert.NotEqual(0, page[25] & (byte)PageFlags.ShortCrc);
        Assert.Equal(PageHeader.Size + 16 + recordBytes, PageCrc.Covered(page, page.Length));
        Assert.Null(MetaChain.Check(page, PageKind.Journal, 9, out _, out ulong prev, out var back));
        Assert.Equal(8UL, prev);
        Assert.Equal(records, back.ToArray());
        if (recordBytes < 8192 - 48)
        {
            page[^1] ^= 0x40; // past the records: not covered, never read
            Assert.Null(MetaChain.Check(page, PageKind.Journal, 9, out _, out _, out _));
        }
        page[PageHeader.Size + 16 + recordBytes - 1] ^= 0x40; // the last record byte (or the last write id byte)
        Assert.Equal("CRC mismatch", MetaChain.Check(page, PageKind.Journal, 9, out _, out _, out _));
    }

    [Fact]
    public void A_journal_page_without_short_crc_is_checked_whole()
    {
        // as the library wrote them before (and still writes them into version 1 files): flag
        // clear, CRC over the whole page
        var page = new byte[8192];
        MetaChain.Build(page, PageKind.Journal, writeId: 9, prevWriteId: 8, prev: 3, next: 0, new byte[100]);
        Assert.Equal(0, page[25] & (byte)PageFlags.ShortCrc);
        Assert.Null(MetaChain.Check(page, PageKind.Journal, 9, out _, out _, out var records));
        Assert.Equal(100, records.Length);
        page[^1] ^= 0x40;
        Assert.Equal("CRC mismatch", MetaChain.Check(page, PageKind.Journal, 9, out _, out _, out _));
    }

    [Fact]
    public void A_checkpoint_page_keeps_its_crc_over_the_whole_page()
    {
        var page = new byte[8192];
        MetaChain.Build(page, PageKind.Checkpoint, writeId: 5, prevWriteId: 5, prev: 0, next: 0, new byte[100]);
        Assert.Equal(0, page[25] & (byte)PageFlags.ShortCrc);
        Assert.Equal(8192, PageCrc.Covered(page, page.Length));
        page[^1] ^= 0x40;
        Assert.Equal("CRC mismatch", MetaChain.Check(page, PageKind.Checkpoint, 5, out _, out _, out _));
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
