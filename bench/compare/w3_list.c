/* Workload 3: prefix listing of 1,000 paths among 100,000 (one "directory" of the kv
 * database), and of every path. Each listed path is copied once, as a caller would. */
#include "workloads.h"

#include <stdio.h>
#include <string.h>

static const char *G = "3 prefix listing";

typedef struct { long n; size_t bytes; char last[4096]; } list_sink;

static void on_path(void *arg, const char *p, size_t n)
{
    list_sink *s = arg;
    if (n < sizeof s->last) memcpy(s->last, p, n);
    s->bytes += n;
    s->n++;
}

/* The prefix shared by the block of cfg.list_small consecutive documents starting at first
 * (cfg.list_small is 100, 1,000 or 10,000: whole levels of the /00/00/00 tree). */
static size_t block_prefix(long first, char *out)
{
    char p[64];
    kv_path(first, p);
    size_t keep = cfg.list_small == 100 ? 7 : cfg.list_small == 1000 ? 5 : 4;   /* "/03/41/", "/03/4", "/03/" */
    memcpy(out, p, keep);
    out[keep] = 0;
    return keep;
}

void w3_list(engine_db *e)
{
    char m[96], prefix[64];
    long blocks = cfg.docs / cfg.list_small;
    if (blocks < 1) die("--list-small %ld exceeds --docs %ld", cfg.list_small, cfg.docs);
    rng r = { cfg.seed ^ 0x1157 };
    double t = 0;
    for (int q = 0; q < cfg.list_rounds; q++) {
        long first = (long)(rng_next(&r) % (uint64_t)blocks) * cfg.list_small;
        size_t pl = block_prefix(first, prefix);
        list_sink s = { 0 };
        double t0 = now_sec();
        long n = e->b->list(e->s, prefix, pl, on_path, &s);
        t += now_sec() - t0;
        if (n != cfg.list_small || s.n != n) die("%s: prefix %s listed %ld paths, expected %ld", e->b->name, prefix, n, cfg.list_small);
    }
    snprintf(m, sizeof m, "list %ld paths by prefix among %ld", cfg.list_small, cfg.docs);
    result(G, m, "ms", 0, e->b->engine, t / cfg.list_rounds * 1e3);

    int rounds = cfg.list_rounds > 5 ? 5 : cfg.list_rounds;
    t = 0;
    for (int q = 0; q < rounds; q++) {
        list_sink s = { 0 };
        double t0 = now_sec();
        long n = e->b->list(e->s, "", 0, on_path, &s);
        t += now_sec() - t0;
        if (n != cfg.docs) die("%s: listing everything gave %ld paths, expected %ld", e->b->name, n, cfg.docs);
    }
    snprintf(m, sizeof m, "list all %ld paths", cfg.docs);
    result(G, m, "ms", 0, e->b->engine, t / rounds * 1e3);
    note("  %s: listings done", e->b->name);
}
