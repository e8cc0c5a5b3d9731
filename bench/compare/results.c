/* Collects one figure per (row, engine) and prints them as a Markdown table with ratios. */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *engine_names[E_COUNT] = { "StreamDb", "SQLite", "LMDB" };

#define MAX_SAMPLES 16

/* A figure measured in several rounds keeps every sample; the table shows their median. */
typedef struct {
    char group[48], metric[96], unit[16];
    int higher;
    int have[E_COUNT];
    double v[E_COUNT];
    int n[E_COUNT];
    double samples[E_COUNT][MAX_SAMPLES];
} row;

#define MAX_ROWS 160
static row rows[MAX_ROWS];
static int nrows;

void result(const char *group, const char *metric, const char *unit, int higher, int engine, double v)
{
    row *r = NULL;
    for (int i = 0; i < nrows; i++)
        if (!strcmp(rows[i].group, group) && !strcmp(rows[i].metric, metric) && !strcmp(rows[i].unit, unit)) r = &rows[i];
    if (!r) {
        if (nrows == MAX_ROWS) die("too many result rows");
        r = &rows[nrows++];
        snprintf(r->group, sizeof r->group, "%s", group);
        snprintf(r->metric, sizeof r->metric, "%s", metric);
        snprintf(r->unit, sizeof r->unit, "%s", unit);
        r->higher = higher;
    }
    if (r->n[engine] < MAX_SAMPLES) r->samples[engine][r->n[engine]++] = v;
    double sorted[MAX_SAMPLES];
    memcpy(sorted, r->samples[engine], sizeof(double) * (size_t)r->n[engine]);
    qsort(sorted, (size_t)r->n[engine], sizeof(double), cmp_double);
    int n = r->n[engine];
    r->v[engine] = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    r->have[engine] = 1;
}

static void fmt(char *out, size_t cap, double v)
{
    double a = v < 0 ? -v : v;
    if (a >= 1e5) snprintf(out, cap, "%.0f", v);
    else if (a >= 100) snprintf(out, cap, "%.1f", v);
    else if (a >= 1) snprintf(out, cap, "%.2f", v);
    else if (a >= 0.01) snprintf(out, cap, "%.3f", v);
    else snprintf(out, cap, "%.2g", v);
}

/* "1.52 +" means StreamDb's figure is 1.52x the peer's and that is better for StreamDb. */
static void ratio(char *out, size_t cap, const row *r, int peer)
{
    if (!r->have[E_STREAMDB] || !r->have[peer]) { snprintf(out, cap, "-"); return; }
    double a = r->v[E_STREAMDB], b = r->v[peer];
    if (b == 0) { snprintf(out, cap, a == 0 ? "1.00 =" : "inf"); return; }
    double q = a / b;
    int better = r->higher ? q > 1.02 : q < 0.98;
    int worse = r->higher ? q < 0.98 : q > 1.02;
    snprintf(out, cap, "%.2f %s", q, better ? "+" : worse ? "-" : "=");
}

/* Rows print grouped by workload (the group names start with its number), in the order each
 * group first produced them, whatever order the engines ran the workloads in. */
static void order_rows(void)
{
    for (int i = 1; i < nrows; i++) {
        row r = rows[i];
        int j = i;
        while (j > 0 && strcmp(rows[j - 1].group, r.group) > 0) { rows[j] = rows[j - 1]; j--; }
        rows[j] = r;
    }
}

void print_results(void)
{
    char a[32];
    order_rows();
    printf("\n| workload | metric | unit | better | StreamDb | SQLite | LMDB | StreamDb/SQLite | StreamDb/LMDB |\n");
    printf("|---|---|---|---|--:|--:|--:|--:|--:|\n");
    for (int i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        printf("| %s | %s | %s | %s |", r->group, r->metric, r->unit, r->higher ? "higher" : "lower");
        for (int e = 0; e < E_COUNT; e++) {
            if (r->have[e]) { fmt(a, sizeof a, r->v[e]); printf(" %s |", a); }
            else printf(" - |");
        }
        ratio(a, sizeof a, r, E_SQLITE);
        printf(" %s |", a);
        ratio(a, sizeof a, r, E_LMDB);
        printf(" %s |\n", a);
    }
    printf("\nEach figure is the median of its rounds. Ratios are StreamDb's figure divided by the peer's;\n"
           "'+' = StreamDb better, '-' = worse, '=' within 2%%.\n");
    fflush(stdout);
}

void print_results_tsv(const char *file)
{
    FILE *f = fopen(file, "w");
    if (!f) { note("cannot write %s", file); return; }
    fprintf(f, "workload\tmetric\tunit\tbetter\tStreamDb\tSQLite\tLMDB\tStreamDb samples\tSQLite samples\tLMDB samples\n");
    for (int i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        fprintf(f, "%s\t%s\t%s\t%s", r->group, r->metric, r->unit, r->higher ? "higher" : "lower");
        for (int e = 0; e < E_COUNT; e++) {
            if (r->have[e]) fprintf(f, "\t%.6g", r->v[e]);
            else fprintf(f, "\t");
        }
        for (int e = 0; e < E_COUNT; e++) {
            fputc('\t', f);
            for (int k = 0; k < r->n[e]; k++) fprintf(f, "%s%.6g", k ? " " : "", r->samples[e][k]);
        }
        fputc('\n', f);
    }
    fclose(f);
}
