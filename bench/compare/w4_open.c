/* Workload 4: open time and resident memory for the 100,000-path database.
 * Method: each open runs in a fresh child process (this program re-executed with --probe), so
 * earlier workloads' heaps, caches and mappings are not counted. The child first initialises
 * the engine's runtime (for StreamDb the NativeAOT runtime starts on the first call), reads
 * RSS from /proc/self/statm, then times open + the first read of one document (SQLite and
 * LMDB read their schema/meta lazily, so an open alone would flatter them), reads RSS again,
 * then performs 10,000 random reads and reads RSS a third time, total and private (resident
 * minus file-backed pages, which for LMDB are its mapped database pages). The OS page cache is warm
 * (the database was just written); cold-cache opens would need dropping caches as root. */
#include "workloads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *G = "4 open + memory";

extern char **saved_argv;
extern int saved_argc;

int w4_probe_main(const char *engine, const char *dir)
{
    const backend *b = backend_by_name(engine);
    long rss_start = rss_bytes();
    b->warm_runtime();
    long rss0 = rss_bytes(), priv0 = rss_private_bytes();
    open_opts o = { .map_size = kv_map_size(), .group_ms = 0 };
    char path[64];
    uint8_t *buf = malloc((size_t)cfg.max_doc);
    double t0 = now_sec();
    void *db = b->open(dir, &o);
    void *s = b->session(db);
    long i = cfg.docs / 2;
    size_t pl = kv_path(i, path);
    if (b->get(s, path, pl, buf, (size_t)cfg.max_doc) != (long)kv_doc_len(i)) die("probe: %s missing", path);
    double t1 = now_sec();
    long rss1 = rss_bytes();
    rng r = { cfg.seed ^ 0x0be2 };
    for (long k = 0; k < 10000; k++) {
        i = (long)(rng_next(&r) % (uint64_t)cfg.docs);
        pl = kv_path(i, path);
        if (b->get(s, path, pl, buf, (size_t)cfg.max_doc) != (long)kv_doc_len(i)) die("probe: %s missing", path);
    }
    long rss2 = rss_bytes(), priv2 = rss_private_bytes();
    printf("%.9f %ld %ld %ld %ld\n", t1 - t0, rss0 - rss_start, rss1 - rss0, rss2 - rss0, priv2 - priv0);
    fflush(stdout);
    b->session_close(s);
    b->close(db);
    return 0;
}

static void run_probe(engine_db *e, const char *self_exe, double *out)
{
    int fd[2];
    if (pipe(fd)) die("pipe failed");
    pid_t pid = fork();
    if (pid < 0) die("fork failed");
    if (pid == 0) {
        /* Only exec-safe calls here: the parent may host runtime threads that fork does not copy. */
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        char **argv = calloc((size_t)saved_argc + 4, sizeof *argv);
        int n = 0;
        for (int k = 0; k < saved_argc; k++) argv[n++] = saved_argv[k];
        argv[n++] = "--probe";
        argv[n++] = (char *)e->b->name;
        argv[n++] = e->dir;
        argv[n] = NULL;
        execv(self_exe, argv);
        _exit(127);
    }
    close(fd[1]);
    FILE *f = fdopen(fd[0], "r");
    long a, b2, c, d;
    int got = fscanf(f, "%lf %ld %ld %ld %ld", &out[0], &a, &b2, &c, &d);
    fclose(f);
    int st;
    waitpid(pid, &st, 0);
    if (got != 5 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) die("%s: open probe child failed", e->b->name);
    out[1] = (double)a;
    out[2] = (double)b2;
    out[3] = (double)c;
    out[4] = (double)d;
}

void w4_open(engine_db *e, const char *self_exe)
{
    double v[5];
    edb_close(e);
    run_probe(e, self_exe, v);
    char m[96];
    snprintf(m, sizeof m, "open + first read, %ld paths (child process)", cfg.docs);
    result(G, m, "ms", 0, e->b->engine, v[0] * 1e3);
    result(G, "RSS of library/runtime start-up", "MB", 0, e->b->engine, v[1] / 1e6);
    result(G, "RSS delta after open + first read", "MB", 0, e->b->engine, v[2] / 1e6);
    result(G, "RSS delta after 10,000 random reads", "MB", 0, e->b->engine, v[3] / 1e6);
    result(G, "private (non-file) RSS delta after 10,000 random reads", "MB", 0, e->b->engine, v[4] / 1e6);
    edb_open(e);
}
