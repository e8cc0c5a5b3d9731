/* Shared declarations of the side-by-side comparison (StreamDb vs SQLite vs LMDB). */
#ifndef COMPARE_BENCH_H
#define COMPARE_BENCH_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>

#define MAX_SIZES 8
#define MAX_THREADS 8

/* Every knob of a run; set from flags, then COMPARE_* environment variables, then defaults. */
typedef struct {
    int quick;
    const char *dir;            /* parent of the scratch directory; same disk as the users' data */
    const char *engines;        /* comma list: streamdb,sqlite,lmdb */
    uint64_t seed;
    long docs;                  /* workload 1: documents in the kvtest-shaped database */
    long min_doc, max_doc;      /* workload 1: document size range in bytes */
    long reads;                 /* workload 1: random warm whole-document reads */
    long overwrites;            /* workload 1: durable single-document commits */
    int nsizes;                 /* workload 2 */
    long sizes[MAX_SIZES];
    long size_counts[MAX_SIZES];
    int size_read_rounds;       /* how often each workload-2 document is read back */
    long chunk;                 /* streamed read chunk size (bytes) for peers without own chunking */
    int stream_rounds;          /* repetitions of the 64 MiB streamed read */
    long list_small;            /* workload 3: size of the small prefix listing (power of 10) */
    int list_rounds;
    int nthreads;               /* workload 5 */
    int threads[MAX_THREADS];
    double duration;            /* seconds per workload-5 cell */
    int group_ms;               /* StreamDb flush_interval_ms for the group-commit row */
    int open_rounds;            /* workload 4: child processes per engine (median reported) */
    int rounds;                 /* rounds of the other measurements, engines interleaved */
    int sqlite_rowid;           /* 1 = rowid table + index on path, 0 = WITHOUT ROWID */
    int sqlite_blob_read;       /* 1 = incremental blob API for whole reads, 0 = SELECT data */
    int streamdb_read_into;     /* 1 = streamdb_read_into a caller buffer, 0 = streamdb_read (malloc) */
    int streamdb_keep;          /* StreamDb versions_to_keep; -1 = the library default (2) */
    int keep;                   /* keep the databases after the run */
} config;

extern config cfg;

/* ---- util.c ---- */
double now_sec(void);
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t mix64(uint64_t x);
typedef struct { uint64_t s; } rng;
uint64_t rng_next(rng *r);
/* Random incompressible bytes, shared by every engine so each one stores the same documents. */
void pool_init(uint64_t seed);
void pool_set_seed(uint64_t seed);          /* lengths and paths only, without the pool */
const uint8_t *doc_bytes(uint64_t id, uint64_t version, size_t len);
size_t kv_doc_len(long i);
size_t kv_path(long i, char *out);          /* "/00/00/00" shape, sorted by i */
uint64_t dir_bytes_on_disk(const char *dir); /* allocated blocks of every file below dir */
uint64_t dir_bytes_apparent(const char *dir);
long rss_bytes(void);                        /* resident set size from /proc/self/statm */
long rss_private_bytes(void);                /* resident minus file-backed/shared pages */
void rm_rf(const char *dir);
void evict_dir(const char *dir);             /* drops the files' pages from the OS page cache */
void sink_consume(const void *p, size_t n);  /* what a consumer does with bytes: copies them once */
int cmp_double(const void *a, const void *b);
double percentile(double *sorted, long n, double p);

/* ---- results.c ---- */
enum { E_STREAMDB, E_SQLITE, E_LMDB, E_COUNT };
extern const char *engine_names[E_COUNT];
/* higher: 1 when a larger figure is better (throughput), 0 when smaller is better (time, bytes). */
void result(const char *group, const char *metric, const char *unit, int higher, int engine, double v);
void print_results(void);
void print_results_tsv(const char *file);

#endif
