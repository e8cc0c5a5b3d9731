/* Clocks, deterministic data, file-system and memory measurements shared by every workload. */
#include "bench.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

double now_sec(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("compare: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

void note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    fflush(stderr);
    va_end(ap);
}

uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t rng_next(rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return mix64(r->s);
}

/* Documents are slices of one random pool at offsets derived from (id, version): generating
 * a gigabyte per engine would cost more than some of the operations being timed. */
#define POOL_BYTES (96u << 20)
static uint8_t *pool;
static uint64_t pool_seed;

void pool_set_seed(uint64_t seed) { pool_seed = seed; }

void pool_init(uint64_t seed)
{
    pool_seed = seed;
    pool = malloc(POOL_BYTES);
    if (!pool) die("out of memory for the data pool");
    rng r = { seed };
    for (size_t i = 0; i < POOL_BYTES; i += 8) {
        uint64_t v = rng_next(&r);
        memcpy(pool + i, &v, 8);
    }
}

const uint8_t *doc_bytes(uint64_t id, uint64_t version, size_t len)
{
    static uint8_t *big;      /* documents longer than the pool (64 MiB fits; larger ones do not) */
    static size_t big_len;
    if (len > POOL_BYTES / 2) {
        if (big_len < len) {
            free(big);
            big = malloc(len);
            if (!big) die("out of memory for a %zu-byte document", len);
            big_len = len;
        }
        rng r = { mix64(pool_seed ^ id ^ (version << 40)) };
        for (size_t i = 0; i < len; i += 8) {
            uint64_t v = rng_next(&r);
            memcpy(big + i, &v, len - i < 8 ? len - i : 8);
        }
        return big;
    }
    /* every bit of the version counts: overwrites use a fresh version each time */
    uint64_t off = mix64(pool_seed ^ (id * 1000003ULL) ^ mix64(version ^ 0x5ea1)) % (POOL_BYTES - len + 1);
    return pool + off;
}

size_t kv_doc_len(long i)
{
    uint64_t span = (uint64_t)(cfg.max_doc - cfg.min_doc + 1);
    return (size_t)cfg.min_doc + (size_t)(mix64(pool_seed ^ ((uint64_t)i << 20) ^ 0x5eed) % span);
}

size_t kv_path(long i, char *out)
{
    /* Three levels of two digits like kvtest's key space spread over directories; a fourth
     * level only appears past a million documents. */
    if (i >= 1000000)
        return (size_t)sprintf(out, "/%02ld/%02ld/%02ld/%02ld", i / 1000000, (i / 10000) % 100, (i / 100) % 100, i % 100);
    return (size_t)sprintf(out, "/%02ld/%02ld/%02ld", i / 10000, (i / 100) % 100, i % 100);
}

/* nftw's callback takes no user data; these helpers run on the main thread only. */
static uint64_t walk_total;
static int walk_allocated;

static int add_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)path; (void)ftw;
    if (type == FTW_F) walk_total += walk_allocated ? (uint64_t)st->st_blocks * 512u : (uint64_t)st->st_size;
    return 0;
}

static uint64_t dir_walk(const char *dir, int allocated)
{
    walk_total = 0;
    walk_allocated = allocated;
    nftw(dir, add_file, 16, FTW_PHYS);
    return walk_total;
}

uint64_t dir_bytes_on_disk(const char *dir) { return dir_walk(dir, 1); }
uint64_t dir_bytes_apparent(const char *dir) { return dir_walk(dir, 0); }

/* statm: size resident shared ...; "shared" counts file-backed and shmem pages, so resident
 * minus shared is the private (anonymous) memory: heaps and the engines' own caches. */
static long statm(int private_only)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, resident = 0, shared = 0;
    if (f) {
        if (fscanf(f, "%ld %ld %ld", &size, &resident, &shared) != 3) resident = shared = 0;
        fclose(f);
    }
    return (private_only ? resident - shared : resident) * sysconf(_SC_PAGESIZE);
}

long rss_bytes(void) { return statm(0); }
long rss_private_bytes(void) { return statm(1); }

void evict_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[4096];
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        int fd = open(p, O_RDONLY);
        if (fd < 0) continue;
        fdatasync(fd);   /* only clean pages can be evicted */
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        close(fd);
    }
    closedir(d);
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st; (void)type; (void)ftw;
    remove(path);
    return 0;
}

/* Depth first, so each directory is empty when its turn comes. */
void rm_rf(const char *dir) { nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

/* A consumer of read data (a socket, a decoder) touches every byte once; copying into a
 * small ring models that and keeps zero-copy engines from skipping the work entirely. */
static __thread uint8_t sink[1 << 16];
static volatile uint8_t sink_guard;

void sink_consume(const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        size_t k = n < sizeof sink ? n : sizeof sink;
        memcpy(sink, b, k);
        b += k;
        n -= k;
    }
    sink_guard = sink[0];
}

int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double percentile(double *sorted, long n, double p)
{
    if (n <= 0) return 0;
    long i = (long)(p * (double)(n - 1) + 0.5);
    return sorted[i];
}
