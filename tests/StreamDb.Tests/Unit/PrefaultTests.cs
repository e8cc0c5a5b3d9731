using System.Runtime.InteropServices;
using StreamDb.Util;

namespace StreamDb.Tests.Unit;

/// <summary>
/// The open makes the buffer it copies the checkpoint into resident in one call (see
/// <see cref="Prefault"/>): afterwards every whole page of the buffer is in memory, and what it
/// held is unchanged.
/// </summary>
public sealed unsafe partial class PrefaultTests
{
    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int mincore(void* address, nuint length, byte* residency);

    private static int ResidentPages(byte[] buffer, out int pages)
    {
        fixed (byte* p = buffer)
        {
            nuint page = (nuint)Environment.SystemPageSize;
            nuint start = ((nuint)p + page - 1) & ~(page - 1);
            nuint end = ((nuint)p + (nuint)buffer.Length) & ~(page - 1);
            pages = (int)((end - start) / page);
            var vec = new byte[pages];
            fixed (byte* v = vec)
                Assert.Equal(0, mincore((void*)start, end - start, v));
            return vec.Count(b => (b & 1) != 0);
        }
    }

    [Fact]
    public void A_populated_buffer_is_resident_and_keeps_its_bytes()
    {
        if (!OperatingSystem.IsLinux()) return; // elsewhere Populate does nothing, by design
        var fresh = GC.AllocateUninitializedArray<byte>(8 << 20, pinned: true);
        Prefault.Populate(fresh);
        Assert.Equal(ResidentPages(fresh, out int pages), pages);

        var written = GC.AllocateUninitializedArray<byte>(3 << 20, pinned: true);
        new Random(7).NextBytes(written);
        var copy = written.ToArray();
        Prefault.Populate(written);
        Assert.Equal(copy, written);
    }

    [Fact]
    public void A_small_or_empty_buffer_is_left_alone_without_error()
    {
        Prefault.Populate(Span<byte>.Empty);
        var small = new byte[100];
        small[5] = 9;
        Prefault.Populate(small);
        Assert.Equal(9, small[5]);
    }
}
