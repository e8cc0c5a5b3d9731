/* Workload 2: documents of 1 KiB, 64 KiB, 1 MiB and 64 MiB. Each document is written as its
 * own durable commit, then read back whole (warm, in random order); the largest size is also
 * streamed in chunks, timing the first chunk separately. */
#include "workloads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *G = "2 doc sizes";

static void size_name(long s, char *out, size_t cap)
{
    if (s >= (1L << 20) && s % (1L << 20) == 0) snprintf(out, cap, "%ld MiB", s >> 20);
    else if (s >= 1024 && s % 1024 == 0) snprintf(out, cap, "%ld KiB", s >> 10);
    else snprintf(out, cap, "%ld B", s);
}

typedef struct {
    double t0, first;
    int seen;
} stream_probe;

static void on_chunk(void *arg, const void *chunk, size_t len)
{
    stream_probe *p = arg;
    if (!p->seen) { p->first = now_sec() - p->t0; p->seen = 1; }
    sink_consume(chunk, len);
}

void w2_sizes(const backend *b, const char *dir)
{
    long largest = 0, total = 0;
    for (int k = 0; k < cfg.nsizes; k++) {
        if (cfg.sizes[k] > largest) largest = cfg.sizes[k];
        total += cfg.sizes[k] * cfg.size_counts[k];
    }
    open_opts o = { .map_size = (uint64_t)total * 3 + (1ULL << 30), .group_ms = 0 };
    void *db = b->open(dir, &o);
    void *s = b->session(db);
    uint8_t *buf = malloc((size_t)largest);
    char path[96], m[96], sz[32];
    rng r = { cfg.seed ^ 0x512e };
    for (int k = 0; k < cfg.nsizes; k++) {
        long size = cfg.sizes[k], count = cfg.size_counts[k];
        size_name(size, sz, sizeof sz);
        double wt = 0;
        for (long j = 0; j < count; j++) {
            size_t pl = (size_t)snprintf(path, sizeof path, "/size/%ld/%06ld", size, j);
            const uint8_t *d = doc_bytes((uint64_t)(size * 1000 + j), 7, (size_t)size);  /* generated untimed */
            double t0 = now_sec();
            b->put(s, path, pl, d, (size_t)size);
            wt += now_sec() - t0;
        }
        snprintf(m, sizeof m, "write %s docs, durable commit each", sz);
        result(G, m, "MB/s", 1, b->engine, (double)size * (double)count / wt / 1e6);
        note("  %s: wrote %ld x %s in %.2f s", b->name, count, sz, wt);

        long reads = count * cfg.size_read_rounds;
        double rt = 0;
        for (long q = 0; q < reads; q++) {
            long j = (long)(rng_next(&r) % (uint64_t)count);
            size_t pl = (size_t)snprintf(path, sizeof path, "/size/%ld/%06ld", size, j);
            double t0 = now_sec();
            long n = b->get(s, path, pl, buf, (size_t)largest);
            rt += now_sec() - t0;
            if (n != size) die("%s: %s has length %ld, expected %ld", b->name, path, n, size);
        }
        snprintf(m, sizeof m, "read %s docs whole, warm", sz);
        result(G, m, "MB/s", 1, b->engine, (double)size * (double)reads / rt / 1e6);
        /* Checked outside the timed loop so verification does not blur the comparison. */
        long j = count - 1;
        size_t pl = (size_t)snprintf(path, sizeof path, "/size/%ld/%06ld", size, j);
        if (b->get(s, path, pl, buf, (size_t)largest) != size
            || memcmp(buf, doc_bytes((uint64_t)(size * 1000 + j), 7, (size_t)size), (size_t)size))
            die("%s returned wrong bytes for %s", b->name, path);
    }

    /* Streamed read of the largest document: what serving an asset over a socket looks like. */
    size_name(largest, sz, sizeof sz);
    size_t pl = (size_t)snprintf(path, sizeof path, "/size/%ld/%06ld", largest, 0L);
    double *firsts = malloc(sizeof(double) * (size_t)cfg.stream_rounds), tt = 0;
    for (int q = 0; q < cfg.stream_rounds; q++) {
        stream_probe p = { .t0 = now_sec() };
        long n = b->stream(s, path, pl, buf, (size_t)cfg.chunk, on_chunk, &p);
        double dt = now_sec() - p.t0;
        if (n != largest) die("%s: streamed %ld bytes of %s, expected %ld", b->name, n, path, largest);
        tt += dt;
        firsts[q] = p.first;
    }
    qsort(firsts, (size_t)cfg.stream_rounds, sizeof *firsts, cmp_double);
    snprintf(m, sizeof m, "streamed read of a %s doc in chunks", sz);
    result(G, m, "MB/s", 1, b->engine, (double)largest * cfg.stream_rounds / tt / 1e6);
    snprintf(m, sizeof m, "time to first chunk of a %s doc (median)", sz);
    result(G, m, "ms", 0, b->engine, percentile(firsts, cfg.stream_rounds, 0.5) * 1e3);
    free(firsts);

    /* Cold: the database closed, its files evicted from the OS page cache (only ours: the
     * machine is shared), reopened untimed, then streamed: disk reads and read-ahead count. */
    b->session_close(s);
    b->close(db);
    evict_dir(dir);
    db = b->open(dir, &o);
    s = b->session(db);
    stream_probe p = { .t0 = now_sec() };
    long n = b->stream(s, path, pl, buf, (size_t)cfg.chunk, on_chunk, &p);
    double dt = now_sec() - p.t0;
    if (n != largest) die("%s: streamed %ld bytes of %s, expected %ld", b->name, n, path, largest);
    snprintf(m, sizeof m, "streamed read of a %s doc, cold OS cache", sz);
    result(G, m, "MB/s", 1, b->engine, (double)largest / dt / 1e6);
    snprintf(m, sizeof m, "time to first chunk of a %s doc, cold OS cache", sz);
    result(G, m, "ms", 0, b->engine, p.first * 1e3);
    free(buf);
    b->session_close(s);
    b->close(db);
}
