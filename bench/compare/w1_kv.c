/* Workload 1: SQLite kvtest's shape. 100,000 documents of 8-12 KB random bytes under
 * /00/00/00-style paths: bulk load in one transaction, warm random whole-document reads,
 * overwrites one durable commit each, and the size on disk against the raw bytes. */
#include "workloads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *G = "1 kv 8-12KB";

void edb_open(engine_db *e)
{
    e->db = e->b->open(e->dir, &e->opts);
    e->s = e->b->session(e->db);
}

void edb_close(engine_db *e)
{
    e->b->session_close(e->s);
    e->b->close(e->db);
    e->s = e->db = NULL;
}

static uint64_t raw_bytes(void)
{
    uint64_t t = 0;
    for (long i = 0; i < cfg.docs; i++) t += kv_doc_len(i);
    return t;
}

static void size_rows(engine_db *e, const char *when)
{
    char m[96];
    double disk = (double)dir_bytes_on_disk(e->dir), raw = (double)raw_bytes();
    snprintf(m, sizeof m, "size on disk %s (closed)", when);
    result(G, m, "MB", 0, e->b->engine, disk / 1e6);
    snprintf(m, sizeof m, "size on disk / raw bytes %s", when);
    result(G, m, "x", 0, e->b->engine, disk / raw);
}

void w1_load(engine_db *e)
{
    char path[64];
    double t0 = now_sec();
    e->b->bulk_begin(e->s);
    for (long i = 0; i < cfg.docs; i++) {
        size_t len = kv_doc_len(i), pl = kv_path(i, path);
        e->b->bulk_put(e->s, path, pl, doc_bytes((uint64_t)i, 0, len), len);
    }
    e->b->bulk_commit(e->s);
    double dt = now_sec() - t0;
    note("  %s: bulk load of %ld docs in %.2f s", e->b->name, cfg.docs, dt);
    result(G, "bulk load, one transaction", "docs/s", 1, e->b->engine, (double)cfg.docs / dt);
    result(G, "bulk load, one transaction", "MB/s", 1, e->b->engine, (double)raw_bytes() / dt / 1e6);
    edb_close(e);
    size_rows(e, "after load");
    edb_open(e);
}

static void verify_doc(engine_db *e, long i, uint64_t version, uint8_t *buf, size_t cap)
{
    char path[64];
    size_t pl = kv_path(i, path), len = kv_doc_len(i);
    long n = e->b->get(e->s, path, pl, buf, cap);
    if (n != (long)len || memcmp(buf, doc_bytes((uint64_t)i, version, len), len))
        die("%s returned wrong bytes for %s (length %ld, expected %zu)", e->b->name, path, n, len);
}

void w1_read(engine_db *e, int warm_up)
{
    size_t cap = (size_t)cfg.max_doc;
    uint8_t *buf = malloc(cap);
    char path[64];
    /* Warm: every document once in order, so the OS cache (and the engine's) holds what it can. */
    for (long i = 0; warm_up && i < cfg.docs; i++) {
        size_t pl = kv_path(i, path);
        if (e->b->get(e->s, path, pl, buf, cap) != (long)kv_doc_len(i)) die("%s: %s missing after load", e->b->name, path);
    }
    rng r = { cfg.seed ^ 0x4ead };
    double bytes = 0, t0 = now_sec();
    for (long k = 0; k < cfg.reads; k++) {
        long i = (long)(rng_next(&r) % (uint64_t)cfg.docs);
        size_t pl = kv_path(i, path);
        long n = e->b->get(e->s, path, pl, buf, cap);
        if (n != (long)kv_doc_len(i)) die("%s: %s has length %ld, expected %zu", e->b->name, path, n, kv_doc_len(i));
        bytes += (double)n;
    }
    double dt = now_sec() - t0;
    note("  %s: %ld random reads in %.2f s", e->b->name, cfg.reads, dt);
    result(G, "random whole-document reads, warm", "reads/s", 1, e->b->engine, (double)cfg.reads / dt);
    result(G, "random whole-document reads, warm", "MB/s", 1, e->b->engine, bytes / dt / 1e6);
    for (long k = 0; k < 200; k++) verify_doc(e, (long)(rng_next(&r) % (uint64_t)cfg.docs), 0, buf, cap);
    free(buf);
}

static uint64_t overwrite_version(int round, long k) { return 1 + ((uint64_t)round << 32) + (uint64_t)k; }

void w1_overwrite(engine_db *e, long count, int round, int measure_size)
{
    char path[64];
    if (count < 1) count = 1;
    double *lat = malloc(sizeof(double) * (size_t)count);
    long *ids = malloc(sizeof(long) * (size_t)count);
    /* Each round overwrites other documents, the same ones on every engine. */
    rng r = { cfg.seed ^ 0x0e1e ^ ((uint64_t)round << 32) };
    for (long k = 0; k < count; k++) ids[k] = (long)(rng_next(&r) % (uint64_t)cfg.docs);
    double t0 = now_sec();
    for (long k = 0; k < count; k++) {
        long i = ids[k];
        size_t pl = kv_path(i, path), len = kv_doc_len(i);
        /* A fresh version on every write: rewriting identical bytes lets SQLite skip the commit
         * (it compares overwritten content and writes nothing when it is unchanged). */
        const uint8_t *d = doc_bytes((uint64_t)i, overwrite_version(round, k), len);
        double a = now_sec();
        e->b->put(e->s, path, pl, d, len);
        lat[k] = now_sec() - a;
    }
    double dt = now_sec() - t0;
    note("  %s: %ld durable overwrites in %.2f s", e->b->name, count, dt);
    qsort(lat, (size_t)count, sizeof *lat, cmp_double);
    result(G, "overwrite, one durable commit each", "commits/s", 1, e->b->engine, (double)count / dt);
    result(G, "overwrite commit latency p50", "ms", 0, e->b->engine, percentile(lat, count, 0.5) * 1e3);
    result(G, "overwrite commit latency p99", "ms", 0, e->b->engine, percentile(lat, count, 0.99) * 1e3);
    uint8_t *buf = malloc((size_t)cfg.max_doc);
    /* the newest 200 writes; a document written twice in this round holds its later version */
    for (long k = count - 1; k >= 0 && k >= count - 200; k--) {
        long later = k + 1;
        while (later < count && ids[later] != ids[k]) later++;
        if (later == count) verify_doc(e, ids[k], overwrite_version(round, k), buf, (size_t)cfg.max_doc);
    }
    free(buf);
    free(lat);
    free(ids);
    if (!measure_size) return;
    edb_close(e);
    size_rows(e, "after overwrites");
    edb_open(e);
}
