/* The five workloads of issue 5, each run on one engine at a time with identical inputs. */
#ifndef COMPARE_WORKLOADS_H
#define COMPARE_WORKLOADS_H

#include "backend.h"

/* An engine's database kept across workloads: closed and reopened between phases so sizes
 * are measured on closed files and opens are real. */
typedef struct {
    const backend *b;
    char dir[4096];
    open_opts opts;
    void *db;
    void *s;     /* the main thread's session */
} engine_db;

void edb_open(engine_db *e);
void edb_close(engine_db *e);

void w1_load(engine_db *e);                  /* bulk load in one transaction + size on disk */
void w1_read(engine_db *e, int warm_up);     /* warm random whole-document reads */
void w1_overwrite(engine_db *e, long count, int round, int measure_size);  /* durable single-document commits */
void w2_sizes(const backend *b, const char *dir);
void w3_list(engine_db *e);
void w4_open(engine_db *e, const char *self_exe);   /* one child process per call */
int  w4_probe_main(const char *engine, const char *dir);   /* the child side of w4_open */
void w5_readers(engine_db *e);
void w5_writers(engine_db *e);

const backend *backend_by_name(const char *name);
uint64_t kv_map_size(void);

#endif
