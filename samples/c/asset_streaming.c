/* asset_streaming.c: store a large binary asset without holding it in memory, then read it
 * back in chunks and from the middle, and print the throughput of each step.
 *
 *   asset_streaming [MiB] [file]      (default: 64 MiB into asset_streaming.sdb)
 *
 * Build: cc -O2 asset_streaming.c $(pkg-config --cflags --libs streamdb) -o asset_streaming */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "streamdb.h"

#define CHUNK (1u << 20)

static void check(int status, const char *what) {
    if (status < 0) {
        fprintf(stderr, "%s failed: %s (%s)\n", what, streamdb_strerror(status), streamdb_errmsg());
        exit(1);
    }
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The asset's bytes at any offset, so nothing needs to be kept to verify the read-back. */
static void asset_bytes(unsigned char *out, size_t len, uint64_t offset) {
    for (size_t i = 0; i < len; i++) {
        uint64_t x = (offset + i) * 0x9E3779B97F4A7C15ull;
        out[i] = (unsigned char)(x >> 56);
    }
}

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t len) {
    for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

int main(int argc, char **argv) {
    uint64_t mib = argc > 1 ? strtoull(argv[1], NULL, 10) : 64;
    const char *file = argc > 2 ? argv[2] : "asset_streaming.sdb";
    uint64_t total = mib << 20;
    const char *path = "assets/video/intro.bin";
    unsigned char *buf = malloc(CHUNK);
    if (!buf || mib == 0) {
        fprintf(stderr, "usage: asset_streaming [MiB > 0] [file]\n");
        return 2;
    }

    streamdb_options opts;
    streamdb_options_init(&opts);
    opts.max_document_size = total > opts.max_document_size ? total : opts.max_document_size;
    streamdb *db = NULL;
    check(streamdb_open(file, &opts, &db), "open");
    printf("streaming a %llu MiB asset into %s at %s\n", (unsigned long long)mib, file, path);

    /* write: the writer takes chunks; nothing is visible until commit */
    uint64_t written_hash = 0xcbf29ce484222325ull;
    double t0 = seconds();
    streamdb_writer *w = NULL;
    check(streamdb_writer_open(db, path, strlen(path), &w), "writer_open");
    for (uint64_t off = 0; off < total; off += CHUNK) {
        size_t n = total - off < CHUNK ? (size_t)(total - off) : CHUNK;
        asset_bytes(buf, n, off);
        written_hash = fnv1a(written_hash, buf, n);
        check(streamdb_writer_write(w, buf, n), "writer_write");
    }
    streamdb_id id;
    check(streamdb_writer_commit(w, &id), "writer_commit");
    double t1 = seconds();
    printf("wrote     %8.1f MiB/s  (%.3f s, durable on return)\n", (double)mib / (t1 - t0), t1 - t0);

    /* read: chunks are borrowed until the next call, so hash them in place */
    streamdb_reader *r = NULL;
    check(streamdb_reader_open(db, path, strlen(path), &r), "reader_open");
    uint64_t size = 0, got = 0, read_hash = 0xcbf29ce484222325ull;
    check(streamdb_reader_size(r, &size), "reader_size");
    const void *chunk;
    size_t len;
    int status;
    while ((status = streamdb_reader_next(r, &chunk, &len)) == STREAMDB_OK) {
        read_hash = fnv1a(read_hash, chunk, len);
        got += len;
    }
    check(status, "reader_next");
    double t2 = seconds();
    printf("read      %8.1f MiB/s  (%.3f s, %llu bytes, %s)\n", (double)mib / (t2 - t1), t2 - t1,
           (unsigned long long)got, got == size && read_hash == written_hash ? "intact" : "MISMATCH");

    /* random access: seek into the middle, and copy a window with read_into */
    uint64_t middle = size / 2;
    check(streamdb_reader_seek(r, middle), "reader_seek");
    check(streamdb_reader_next(r, &chunk, &len), "reader_next");
    asset_bytes(buf, len, middle);
    int seek_ok = memcmp(chunk, buf, len) == 0;
    streamdb_reader_close(r);
    unsigned char window[4096];
    size_t copied = 0;
    check(streamdb_read_into(db, path, strlen(path), size - 1000, window, sizeof window, &copied), "read_into");
    asset_bytes(buf, copied, size - 1000);
    printf("seek to %llu: %s; read_into the last %zu bytes: %s\n", (unsigned long long)middle,
           seek_ok ? "intact" : "MISMATCH", copied, copied == 1000 && memcmp(window, buf, copied) == 0 ? "intact" : "MISMATCH");

    /* deleting frees the pages; compact gives the trailing ones back to the file system */
    struct streamdb_stats st;
    memset(&st, 0, sizeof st);
    check(streamdb_stats(db, &st), "stats");
    uint64_t before = st.file_bytes;
    check(streamdb_delete(db, path, strlen(path)), "delete");
    check(streamdb_flush(db), "flush");
    check(streamdb_compact(db), "compact");
    memset(&st, 0, sizeof st);
    check(streamdb_stats(db, &st), "stats");
    printf("deleted and compacted: file %llu -> %llu bytes\n", (unsigned long long)before,
           (unsigned long long)st.file_bytes);
    check(streamdb_close(db), "close");
    free(buf);
    int ok = got == size && read_hash == written_hash && seek_ok && copied == 1000;
    printf("%s\n", ok ? "done" : "FAILED");
    return ok ? 0 : 1;
}
