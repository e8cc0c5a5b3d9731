/* Workload 5: 1, 2 and 4 threads reading at once, then 1, 2 and 4 threads each committing
 * single-document overwrites durably; then the relaxed-durability variant (StreamDb group
 * commit via flush_interval_ms, SQLite WAL synchronous=NORMAL, LMDB MDB_NOMETASYNC).
 * Each thread has its own session; each cell runs for cfg.duration seconds. */
#include "workloads.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static const char *G = "5 concurrency";
/* above every version workload 1 writes (round << 32 | write number) */
static atomic_ullong next_version = 1ULL << 48;

typedef struct {
    engine_db *e;
    int writer, index;
    pthread_barrier_t *start;
    atomic_int *stop;
    long ops;
    double bytes;
} worker;

static void *run_worker(void *arg)
{
    worker *w = arg;
    const backend *b = w->e->b;
    void *s = b->session(w->e->db);
    uint8_t *buf = malloc((size_t)cfg.max_doc);
    char path[64];
    rng r = { cfg.seed ^ ((uint64_t)w->index << 32) ^ (w->writer ? 0x3717 : 0x3ead) };
    pthread_barrier_wait(w->start);
    while (!atomic_load_explicit(w->stop, memory_order_relaxed)) {
        long i = (long)(rng_next(&r) % (uint64_t)cfg.docs);
        size_t pl = kv_path(i, path), len = kv_doc_len(i);
        if (w->writer) {
            /* a fresh version each write: SQLite commits nothing when the bytes are unchanged */
            uint64_t v = atomic_fetch_add_explicit(&next_version, 1, memory_order_relaxed);
            b->put(s, path, pl, doc_bytes((uint64_t)i, v, len), len);
        } else {
            long n = b->get(s, path, pl, buf, (size_t)cfg.max_doc);
            if (n != (long)len) die("%s: %s has length %ld, expected %zu", b->name, path, n, len);
        }
        w->ops++;
        w->bytes += (double)len;
    }
    free(buf);
    b->session_close(s);
    return NULL;
}

static void cell(engine_db *e, int writer, int threads, const char *metric_fmt)
{
    pthread_t tid[MAX_THREADS];
    worker w[MAX_THREADS];
    pthread_barrier_t start;
    atomic_int stop = 0;
    pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
    for (int t = 0; t < threads; t++) {
        w[t] = (worker){ .e = e, .writer = writer, .index = t, .start = &start, .stop = &stop };
        if (pthread_create(&tid[t], NULL, run_worker, &w[t])) die("pthread_create failed");
    }
    pthread_barrier_wait(&start);
    double t0 = now_sec();
    struct timespec d = { (time_t)cfg.duration, (long)((cfg.duration - (double)(time_t)cfg.duration) * 1e9) };
    nanosleep(&d, NULL);
    atomic_store(&stop, 1);
    long ops = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(tid[t], NULL);
        ops += w[t].ops;
    }
    double dt = now_sec() - t0;   /* includes the last operation of each thread: they all count */
    pthread_barrier_destroy(&start);
    char m[128];
    snprintf(m, sizeof m, metric_fmt, threads);
    result(G, m, writer ? "commits/s" : "reads/s", 1, e->b->engine, (double)ops / dt);
    note("  %s: %s: %.0f/s", e->b->name, m, (double)ops / dt);
}

void w5_readers(engine_db *e)
{
    for (int k = 0; k < cfg.nthreads; k++)
        cell(e, 0, cfg.threads[k], "%d thread(s) reading at once, 8-12KB docs");
}

void w5_writers(engine_db *e)
{
    for (int k = 0; k < cfg.nthreads; k++)
        cell(e, 1, cfg.threads[k], "%d thread(s) writing, durable commit each");
    /* Relaxed durability: committed data survives a process crash at once and a power cut
     * after a short delay. StreamDb: group commit; peers: their documented equivalents. */
    edb_close(e);
    e->opts.group_ms = cfg.group_ms;
    e->opts.relaxed = 1;
    edb_open(e);
    char fmt[128];
    snprintf(fmt, sizeof fmt, "%%d thread(s) writing, relaxed durability (StreamDb flush_interval_ms=%d)", cfg.group_ms);
    for (int k = 0; k < cfg.nthreads; k++) cell(e, 1, cfg.threads[k], fmt);
    edb_close(e);
    e->opts.group_ms = 0;
    e->opts.relaxed = 0;
    edb_open(e);
}
