using static StreamDb.Tests.Support.TestDb;

namespace StreamDb.Tests.Integration;

/// <summary>Pages freed by overwrites are reused: a database whose documents are rewritten again
/// and again stops growing once every document holds the versions it keeps.</summary>
public sealed class SpaceReuseTests
{
    private const int Docs = 100;
    private const int DocBytes = 7000;   // two 4 KiB pages each, the second too full for a batch to pack
    private const long IndexSlack = 24;  // journal pages and the fragments they leave

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Overwrites_of_batch_loaded_documents_reuse_the_pages_their_old_versions_free(int keep)
    {
        // A batch packs its documents back to back, so each overwrite frees a hole of exactly a
        // document's pages, with no free page after it for the commit's journal page.
        using var db = Memory(new DatabaseOptions { PageSize = 4096, VersionsToKeep = keep });
        Ok(db.BeginBatch(out var batch));
        for (int i = 0; i < Docs; i++) Ok(batch!.Write(P($"/d/{i}"), Data(DocBytes, i)));
        Ok(batch!.Commit());
        Ok(db.GetStats(out var loaded));
        for (int round = 1; round <= keep + 2; round++)
        {
            // every other document: each hole stays apart, as after random overwrites
            for (int i = 0; i < Docs; i += 2) Ok(db.Write(P($"/d/{i}"), Data(DocBytes, round * 1000 + i), out _));
        }
        Ok(db.GetStats(out var st));
        long kept = Docs / 2 * 2L * keep;  // the old versions' pages
        // A version that grew the file took the page after it for its commit's journal page,
        // which the next commit frees: one page each, until the version before it goes too.
        long slots = Docs / 2 * keep;
        Assert.True(st.TotalPages <= loaded.TotalPages + kept + slots + IndexSlack,
            $"{st.TotalPages} pages after the overwrites, {st.FreePages} of them free; loaded: {loaded.TotalPages}, old versions: {kept}, journal slots: {slots}");
        for (int i = 0; i < Docs; i++) Assert.Equal(Data(DocBytes, i % 2 == 0 ? (keep + 2) * 1000 + i : i), db.Read($"/d/{i}"));
        Ok(db.Verify());
    }

    [Fact]
    public void One_page_documents_committed_one_by_one_take_the_pages_the_journal_frees()
    {
        // Each commit replaces the journal's last page and frees the old one. A new one-page
        // document fits that hole exactly; asking for its page plus one for the journal never
        // did, and such a database held two pages per document.
        using var db = Memory(new DatabaseOptions { PageSize = 4096 });
        for (int i = 0; i < Docs; i++) Ok(db.Write(P($"/small/{i}"), Data(1000, i), out _));
        Ok(db.GetStats(out var st));
        Assert.True(st.TotalPages <= Docs + IndexSlack, $"{st.TotalPages} pages ({st.FreePages} free) for {Docs} one-page documents");
        for (int i = 0; i < Docs; i++) Assert.Equal(Data(1000, i), db.Read($"/small/{i}"));
        Ok(db.Verify());
    }
}
