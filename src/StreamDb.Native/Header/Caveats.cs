namespace StreamDb.Native;

/// <summary>
/// StreamDb: an embedded database of binary documents stored under string paths.
/// <para>
/// libstreamdb is a .NET library compiled ahead of time (NativeAOT) into a plain shared
/// library with this C interface. Link with -lstreamdb (pkg-config: streamdb; CMake:
/// find_package(StreamDb) and StreamDb::streamdb).
/// </para>
/// <para>
/// Conventions: every fallible function returns int: STREAMDB_OK (0), a positive
/// informational code (STREAMDB_DONE) or a negative STREAMDB_ERR_* code. The calling thread's
/// streamdb_errmsg() then says what went wrong. A few functions kept for existing clients
/// (marked compat) return a pointer instead: NULL on failure, with the message set. Document
/// paths are (const char *path, size_t path_len): 1..4096 bytes of valid UTF-8 without NUL,
/// no terminator needed. File names are NUL-terminated UTF-8. Buffers the library returns
/// come from malloc: release them with streamdb_free_buffer() or free(). NULL, closed, freed
/// and never-issued handles get STREAMDB_ERR_INVALID; they never crash the process.
/// </para>
/// <para>
/// Threads: a streamdb * may be used from any number of threads at once. An iterator,
/// reader, writer, batch or asynchronous operation is used by one thread at a time (any
/// thread). The library never calls back into the host.
/// </para>
/// <para>CAVEATS</para>
/// <list type="bullet">
/// <item>Never dlclose() the library: it is linked with -z nodelete, so dlclose() does not
/// unmap it. Unloading an initialized .NET runtime and later running another one's garbage
/// collector crashes the process.</item>
/// <item>The .NET runtime inside the library starts on the first call: a few milliseconds
/// (1-4 ms measured). The first call on each new thread attaches the thread to the runtime
/// (tens of microseconds at most); later calls cost well under a microsecond of overhead.</item>
/// <item>Signals: on the first call the runtime installs handlers for SIGSEGV and SIGFPE (a
/// fault outside .NET code is passed on to the handler that was installed before), a handler
/// for SIGRTMIN (it suspends threads for garbage collection), and sets SIGPIPE to ignored (a
/// write to a closed pipe or socket then fails with EPIPE instead of killing the process).
/// Do not block or take over SIGRTMIN; a host that installs its own SIGSEGV handler after the
/// first call must pass on faults it does not own.</item>
/// <item>Do not use the library after fork() in the child process: only the forking thread
/// survives, and a garbage collection in the child can hang forever. Call exec() or open
/// nothing in the child; a child that needs a database is a new process (posix_spawn).</item>
/// <item>One writer process per database file: opening takes an advisory lock on the file;
/// a second process that opens the same file for writing gets STREAMDB_ERR_BUSY. Locks do not
/// work on some network file systems: do not share a file over NFS.</item>
/// <item>A document written on its own takes whole pages: a 100-byte document written with
/// streamdb_write uses a full page (8 KiB by default). Written in a batch, a document that fits
/// in half a page shares pages with the batch's other small documents (its size plus 16 bytes).
/// Write many small documents in batches, or create the database with 4 KiB pages.</item>
/// <item>Long-lived readers, iterators and snapshots pin the pages of the versions they read:
/// those pages are not reused until they are closed, so the file grows meanwhile.</item>
/// <item>Memory: the runtime reserves address space for its garbage-collected heap; the
/// resident size of an idle process grows by a few megabytes after the first call. The
/// library's collector runs once 4 MB have been allocated since the last collection (its
/// default scales with the CPU's cache, and let the heap grow by tens of MB on a machine
/// reporting a large one); a host can set another size with the environment variable
/// DOTNET_GCgen0size (hexadecimal bytes) before the first call. streamdb_read_into allocates
/// nothing on that heap; a write allocates a few KB, and a batch holds about 2 KB for each
/// document it has not committed yet (its pages are written as documents are added).</item>
/// <item>The index (every path, document and kept version) is held in memory, never paged
/// out: the last checkpoint as its records (about 70 bytes a path), each page read in when a
/// lookup first needs it and kept, plus what commits changed since (about 300 bytes a changed
/// document, until the next checkpoint). streamdb_open reads only the checkpoint pages its
/// first lookups need (when the checkpoint lies in one run of pages, as it does unless the
/// file was nearly full when it was written) and starts no thread. The first write, batch
/// commit, compact, streamdb_stats or streamdb_verify after an open reads and checks all of
/// it first, decoding every record, to find the free pages: on the caller's thread, while
/// reads go on (20-27 ms for 100,000 paths here, once per open). For 100,000 paths, open +
/// first read took about 0.6 ms and 0.5 MB here, and 10 MB after 10,000 random reads (SQLite
/// and LMDB keep their index on disk and cache a few MB of it). Size embedded hosts for it.
/// A checkpoint page damaged after it was written is found when something first needs it:
/// that call returns STREAMDB_ERR_CORRUPTED, and so does every write once the first write's
/// check found it.</item>
/// </list>
/// </summary>
[CHeader(0)]
internal static class Caveats
{
}
