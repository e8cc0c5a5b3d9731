/* compare: StreamDb, SQLite and LMDB run the same workloads in one process, one engine after
 * another, on the same disk; prints a Markdown table of absolute figures and ratios.
 * Every option is a flag or a COMPARE_* environment variable (flag wins); see --help. */
#include "workloads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

config cfg;
char **saved_argv;
int saved_argc;

static const char *tsv_file;

static void usage(void)
{
    puts("usage: compare [options]   (each option also reads COMPARE_<NAME>, e.g. COMPARE_DOCS=1000)\n"
         "  --quick                 smoke run in well under a minute (smaller sizes, shorter cells)\n"
         "  --dir DIR               parent of the scratch directory (default /tmp; same disk as your data)\n"
         "  --engines LIST          streamdb,sqlite,lmdb (default all three)\n"
         "  --seed N                data and access-order seed (default 1)\n"
         "  --docs N                workload 1/3/4/5 documents (default 100000; quick 10000; max 999999)\n"
         "  --min-doc N --max-doc N document size range in bytes (default 8000..12000)\n"
         "  --reads N               random warm reads (default = docs)\n"
         "  --overwrites N          durable single-document commits (default 10000; quick 500)\n"
         "  --sizes LIST            workload 2 sizes, K/M suffixes (default 1K,64K,1M,64M)\n"
         "  --size-counts LIST      documents written per size (default 2000,500,64,3; quick 200,50,8,1)\n"
         "  --size-read-rounds N    reads per written document, random order (default 5; quick 3)\n"
         "  --chunk N               peers' streaming chunk size (default 65536)\n"
         "  --stream-rounds N       streamed reads of the largest document (default 5; quick 2)\n"
         "  --list-small N          prefix listing size: 100, 1000 or 10000 (default 1000)\n"
         "  --list-rounds N         small listings timed (default 50; quick 10)\n"
         "  --threads LIST          workload 5 thread counts (default 1,2,4)\n"
         "  --duration S            seconds per workload-5 cell (default 3; quick 0.5)\n"
         "  --group-ms N            StreamDb flush_interval_ms in the relaxed-durability rows (default 10)\n"
         "  --open-rounds N         child processes per engine for workload 4 (default 5; quick 1)\n"
         "  --rounds N              rounds of every other measurement, engines interleaved; the table\n"
         "                          shows medians (default 3; quick 1); --overwrites is split over them\n"
         "  --sqlite-layout L       rowid | without-rowid (default rowid)\n"
         "  --sqlite-read R         blob | select: whole-document reads (default blob)\n"
         "  --streamdb-read R       into | alloc: streamdb_read_into or streamdb_read (default into)\n"
         "  --streamdb-keep N       StreamDb versions_to_keep (default: the library's, 2; the peers keep none)\n"
         "  --tsv FILE              also write the figures as tab-separated values\n"
         "  --keep                  keep the databases");
}

static long parse_size(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (*end == 'K' || *end == 'k') v *= 1024;
    else if (*end == 'M' || *end == 'm') v *= 1024 * 1024;
    else if (*end == 'G' || *end == 'g') v *= 1024.0 * 1024 * 1024;
    else if (*end) die("bad size '%s'", s);
    if (v < 0) die("bad size '%s'", s);
    return (long)v;
}

static int parse_list(const char *s, long *out, int max)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", s);
    int n = 0;
    for (char *tok = strtok(tmp, ","); tok; tok = strtok(NULL, ",")) {
        if (n == max) die("too many values in '%s' (at most %d)", s, max);
        out[n++] = parse_size(tok);
    }
    return n;
}

static void set_option(const char *name, const char *v)
{
    long tmp[MAX_THREADS];
#define IS(x) (!strcmp(name, x))
    if (IS("dir")) cfg.dir = v;
    else if (IS("engines")) cfg.engines = v;
    else if (IS("seed")) cfg.seed = strtoull(v, NULL, 0);
    else if (IS("docs")) cfg.docs = parse_size(v);
    else if (IS("min-doc")) cfg.min_doc = parse_size(v);
    else if (IS("max-doc")) cfg.max_doc = parse_size(v);
    else if (IS("reads")) cfg.reads = parse_size(v);
    else if (IS("overwrites")) cfg.overwrites = parse_size(v);
    else if (IS("sizes")) cfg.nsizes = parse_list(v, cfg.sizes, MAX_SIZES);
    else if (IS("size-counts")) { if (parse_list(v, cfg.size_counts, MAX_SIZES) != cfg.nsizes) die("--size-counts needs one count per size"); }
    else if (IS("size-read-rounds")) cfg.size_read_rounds = atoi(v);
    else if (IS("chunk")) cfg.chunk = parse_size(v);
    else if (IS("stream-rounds")) cfg.stream_rounds = atoi(v);
    else if (IS("list-small")) cfg.list_small = parse_size(v);
    else if (IS("list-rounds")) cfg.list_rounds = atoi(v);
    else if (IS("threads")) { cfg.nthreads = parse_list(v, tmp, MAX_THREADS); for (int k = 0; k < cfg.nthreads; k++) cfg.threads[k] = (int)tmp[k]; }
    else if (IS("duration")) cfg.duration = atof(v);
    else if (IS("group-ms")) cfg.group_ms = atoi(v);
    else if (IS("open-rounds")) cfg.open_rounds = atoi(v);
    else if (IS("rounds")) cfg.rounds = atoi(v);
    else if (IS("sqlite-layout")) {
        if (!strcmp(v, "rowid")) cfg.sqlite_rowid = 1;
        else if (!strcmp(v, "without-rowid")) cfg.sqlite_rowid = 0;
        else die("--sqlite-layout is rowid or without-rowid");
    } else if (IS("sqlite-read")) {
        if (!strcmp(v, "blob")) cfg.sqlite_blob_read = 1;
        else if (!strcmp(v, "select")) cfg.sqlite_blob_read = 0;
        else die("--sqlite-read is blob or select");
    } else if (IS("streamdb-read")) {
        if (!strcmp(v, "into")) cfg.streamdb_read_into = 1;
        else if (!strcmp(v, "alloc")) cfg.streamdb_read_into = 0;
        else die("--streamdb-read is into or alloc");
    } else if (IS("streamdb-keep")) {
        cfg.streamdb_keep = atoi(v);
        if (cfg.streamdb_keep < 0) die("--streamdb-keep is 0 or more");
    } else if (IS("tsv")) tsv_file = v;
    else die("unknown option --%s (see --help)", name);
#undef IS
}

static const char *valued[] = { "dir", "engines", "seed", "docs", "min-doc", "max-doc", "reads", "overwrites", "sizes",
    "size-counts", "size-read-rounds", "chunk", "stream-rounds", "list-small", "list-rounds", "threads", "duration",
    "group-ms", "open-rounds", "rounds", "sqlite-layout", "sqlite-read", "streamdb-read", "streamdb-keep", "tsv" };

static void defaults(int quick)
{
    cfg = (config){
        .quick = quick, .dir = "/tmp", .engines = "streamdb,sqlite,lmdb", .seed = 1,
        .docs = quick ? 10000 : 100000, .min_doc = 8000, .max_doc = 12000, .reads = 0,
        .overwrites = quick ? 500 : 10000,
        .nsizes = 4, .sizes = { 1L << 10, 64L << 10, 1L << 20, 64L << 20 },
        .size_read_rounds = quick ? 3 : 5, .chunk = 65536, .stream_rounds = quick ? 2 : 5,
        .list_small = 1000, .list_rounds = quick ? 10 : 50,
        .nthreads = 3, .threads = { 1, 2, 4 }, .duration = quick ? 0.5 : 3.0, .group_ms = 10,
        .open_rounds = quick ? 1 : 5, .rounds = quick ? 1 : 3, .sqlite_rowid = 1, .sqlite_blob_read = 1, .streamdb_read_into = 1,
        .streamdb_keep = -1,
    };
    long full[] = { 2000, 500, 64, 3 }, small[] = { 200, 50, 8, 1 };
    memcpy(cfg.size_counts, quick ? small : full, sizeof full);
}

/* Sizes are set before counts so that a --sizes override keeps --size-counts consistent. */
static void parse(int argc, char **argv, const char **probe_engine, const char **probe_dir)
{
    int quick = getenv("COMPARE_QUICK") && strcmp(getenv("COMPARE_QUICK"), "0");
    for (int i = 1; i < argc; i++) if (!strcmp(argv[i], "--quick")) quick = 1;
    defaults(quick);
    for (size_t k = 0; k < sizeof valued / sizeof *valued; k++) {
        char env[64], *p = env;
        p += sprintf(p, "COMPARE_");
        for (const char *c = valued[k]; *c; c++) *p++ = *c == '-' ? '_' : (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
        *p = 0;
        if (getenv(env)) set_option(valued[k], getenv(env));
    }
    if (getenv("COMPARE_KEEP")) cfg.keep = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--quick")) continue;
        if (!strcmp(a, "--keep")) { cfg.keep = 1; continue; }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(); exit(0); }
        if (!strcmp(a, "--probe")) {
            if (i + 2 >= argc) die("--probe ENGINE DIR");
            *probe_engine = argv[i + 1];
            *probe_dir = argv[i + 2];
            i += 2;
            continue;
        }
        if (strncmp(a, "--", 2)) die("unexpected argument '%s' (see --help)", a);
        const char *eq = strchr(a, '=');
        char name[64];
        const char *v;
        if (eq) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a - 2), a + 2);
            v = eq + 1;
        } else {
            snprintf(name, sizeof name, "%s", a + 2);
            if (i + 1 >= argc) die("--%s needs a value", name);
            v = argv[++i];
        }
        set_option(name, v);
    }
    if (cfg.reads <= 0) cfg.reads = cfg.docs;
    if (cfg.docs < 1 || cfg.docs > 999999) die("--docs must be 1..999999");
    if (cfg.min_doc < 1 || cfg.max_doc < cfg.min_doc) die("bad document size range");
    if (cfg.list_small != 100 && cfg.list_small != 1000 && cfg.list_small != 10000) die("--list-small is 100, 1000 or 10000");
    if (cfg.list_small > cfg.docs) die("--list-small %ld exceeds --docs %ld", cfg.list_small, cfg.docs);
    if (cfg.nsizes < 1 || cfg.stream_rounds < 1 || cfg.size_read_rounds < 1 || cfg.list_rounds < 1 || cfg.chunk < 1)
        die("sizes, rounds and chunk must be positive");
    for (int k = 0; k < cfg.nsizes; k++)
        if (cfg.sizes[k] < 1 || cfg.size_counts[k] < 1) die("every size and count must be positive");
    for (int k = 0; k < cfg.nthreads; k++)
        if (cfg.threads[k] < 1 || cfg.threads[k] > 64) die("thread counts are 1..64");
    if (cfg.duration <= 0) die("--duration must be positive");
    if (cfg.rounds < 1 || cfg.rounds > 15 || cfg.open_rounds < 1 || cfg.open_rounds > 15) die("--rounds and --open-rounds are 1..15");
}

const backend *backend_by_name(const char *name)
{
    if (!strcasecmp(name, "streamdb")) return &backend_streamdb;
    if (!strcasecmp(name, "sqlite")) return &backend_sqlite;
    if (!strcasecmp(name, "lmdb")) return &backend_lmdb;
    die("unknown engine '%s' (streamdb, sqlite, lmdb)", name);
}

/* LMDB needs its map reserved up front: three times the raw data (copy-on-write overwrites
 * and overflow-page rounding) plus a gigabyte. It is address space, not disk. */
uint64_t kv_map_size(void)
{
    return (uint64_t)cfg.docs * (uint64_t)(cfg.max_doc + 4096) * 3 + (1ULL << 30);
}

static void machine_facts(void)
{
    char model[256] = "?", line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        while (fgets(line, sizeof line, f))
            if (!strncmp(line, "model name", 10)) {
                char *c = strchr(line, ':');
                if (c) { snprintf(model, sizeof model, "%s", c + 2); model[strcspn(model, "\n")] = 0; }
                break;
            }
        fclose(f);
    }
    time_t t = time(NULL);
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&t));
    printf("# compare: StreamDb %s vs SQLite %s vs LMDB %s\n", backend_streamdb.version(), backend_sqlite.version(),
           backend_lmdb.version());
    printf("# %s; %ld cores; CPU: %s; scratch dir under %s\n", when, sysconf(_SC_NPROCESSORS_ONLN), model, cfg.dir);
    printf("# %s run, %d rounds (medians): %ld docs of %ld-%ld B, %ld reads, %ld overwrites, %.1f s per concurrency cell, "
           "SQLite %s/%s reads, StreamDb %s reads, StreamDb versions_to_keep %d\n",
           cfg.quick ? "quick" : "full", cfg.rounds, cfg.docs, cfg.min_doc, cfg.max_doc, cfg.reads, cfg.overwrites, cfg.duration,
           cfg.sqlite_rowid ? "rowid" : "WITHOUT ROWID", cfg.sqlite_blob_read ? "blob-API" : "SELECT",
           cfg.streamdb_read_into ? "read_into" : "read(malloc)", cfg.streamdb_keep < 0 ? 2 : cfg.streamdb_keep);
    fflush(stdout);
}

/* Workload-major order: each measurement runs on every engine back to back, in rounds whose
 * engine order rotates, and the table reports medians. The machine is shared, so load from
 * other users comes and goes; interleaving spreads it over the engines instead of letting it
 * land on whichever engine happened to run during a busy minute. */
static engine_db edbs[E_COUNT];
static int nengines;

#define EACH_ENGINE(r, e) \
    for (int k_ = 0; k_ < nengines; k_++) \
        for (engine_db *e = &edbs[(k_ + (r)) % nengines]; e; e = NULL)

static void run_all(const char *scratch, const char *self_exe)
{
    double t0 = now_sec();
    note("== workload 1: bulk load");
    EACH_ENGINE(0, e) {
        e->opts = (open_opts){ .map_size = kv_map_size() };
        snprintf(e->dir, sizeof e->dir, "%s/%s-kv", scratch, e->b->name);
        if (mkdir(e->dir, 0755)) die("cannot create %s", e->dir);
        edb_open(e);
        w1_load(e);
    }
    note("== workload 1: random reads");
    for (int r = 0; r < cfg.rounds; r++) EACH_ENGINE(r, e) w1_read(e, r == 0);
    note("== workload 3: prefix listing");
    for (int r = 0; r < cfg.rounds; r++) EACH_ENGINE(r, e) w3_list(e);
    note("== workload 4: open + memory");
    for (int r = 0; r < cfg.open_rounds; r++) EACH_ENGINE(r, e) w4_open(e, self_exe);
    note("== workload 5: concurrent readers");
    for (int r = 0; r < cfg.rounds; r++) EACH_ENGINE(r, e) w5_readers(e);
    note("== workload 1: durable overwrites");
    for (int r = 0; r < cfg.rounds; r++) EACH_ENGINE(r, e) w1_overwrite(e, cfg.overwrites / cfg.rounds, r, r == cfg.rounds - 1);
    note("== workload 5: concurrent writers");
    for (int r = 0; r < cfg.rounds; r++) EACH_ENGINE(r, e) w5_writers(e);
    EACH_ENGINE(0, e) {
        edb_close(e);
        if (!cfg.keep) rm_rf(e->dir);
    }
    note("== workload 2: document sizes");
    for (int r = 0; r < cfg.rounds; r++) EACH_ENGINE(r, e) {
        char sizes[4096];
        snprintf(sizes, sizeof sizes, "%s/%s-sizes-%d", scratch, e->b->name, r);
        if (mkdir(sizes, 0755)) die("cannot create %s", sizes);
        w2_sizes(e->b, sizes);
        if (!cfg.keep) rm_rf(sizes);
    }
    note("all workloads done in %.0f s", now_sec() - t0);
}

static char scratch[1200];

/* A failed run (die() exits) must not leave gigabytes of databases behind in /tmp. */
static void remove_scratch(void)
{
    if (!cfg.keep && scratch[0]) rm_rf(scratch);
}

int main(int argc, char **argv)
{
    saved_argc = argc;
    saved_argv = argv;
    const char *probe_engine = NULL, *probe_dir = NULL;
    parse(argc, argv, &probe_engine, &probe_dir);
    if (probe_engine) {
        pool_set_seed(cfg.seed);
        return w4_probe_main(probe_engine, probe_dir);
    }
    char self_exe[4096];
    ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
    if (n <= 0) die("cannot resolve /proc/self/exe");
    self_exe[n] = 0;

    machine_facts();
    pool_init(cfg.seed);
    if (strlen(cfg.dir) > 1024) die("--dir is too long");
    snprintf(scratch, sizeof scratch, "%s/streamdb-compare.%d", cfg.dir, (int)getpid());
    if (mkdir(scratch, 0755)) die("cannot create %s", scratch);
    atexit(remove_scratch);
    note("scratch directory: %s", scratch);

    double t0 = now_sec();
    char list[256];
    snprintf(list, sizeof list, "%s", cfg.engines);
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
        const backend *b = backend_by_name(tok);
        for (int k = 0; k < nengines; k++)
            if (edbs[k].b == b) die("--engines lists %s twice", b->name);
        edbs[nengines++].b = b;
    }
    run_all(scratch, self_exe);

    print_results();
    printf("\ntotal run time %.0f s\n", now_sec() - t0);
    if (tsv_file) print_results_tsv(tsv_file);
    return 0;
}
