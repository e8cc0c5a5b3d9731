/* One interface over the three engines so every workload runs the same code on each.
 * A database handle (db) is shared by all threads; a session (sess) belongs to one thread
 * (SQLite: its own connection; LMDB: its own reusable read transaction; StreamDb: the shared
 * handle, which is thread-safe). Every call returns 0 on success; failures abort the run with
 * the engine's message, because a benchmark that silently skips errors measures nothing. */
#ifndef COMPARE_BACKEND_H
#define COMPARE_BACKEND_H

#include "bench.h"

typedef struct {
    uint64_t map_size;   /* LMDB: map size to reserve */
    int group_ms;        /* StreamDb: flush_interval_ms (0 = every commit durable) */
    int relaxed;         /* peers' relaxed durability: SQLite synchronous=NORMAL, LMDB MDB_NOMETASYNC */
} open_opts;

typedef void (*chunk_fn)(void *arg, const void *chunk, size_t len);

typedef struct backend {
    const char *name;
    int engine;
    /* Files live in dir (created by the caller). */
    void *(*open)(const char *dir, const open_opts *o);
    void (*close)(void *db);
    void *(*session)(void *db);
    void (*session_close)(void *s);
    /* Bulk load: everything between begin and commit is one transaction / batch. */
    void (*bulk_begin)(void *s);
    void (*bulk_put)(void *s, const char *path, size_t plen, const void *data, size_t len);
    void (*bulk_commit)(void *s);
    /* One document written as its own commit, durable when the call returns (engine default). */
    void (*put)(void *s, const char *path, size_t plen, const void *data, size_t len);
    /* Whole document copied into buf (cap >= its size); returns its length, or -1 if missing. */
    long (*get)(void *s, const char *path, size_t plen, void *buf, size_t cap);
    /* Streams the document, calling fn for each chunk in order; returns its length. */
    long (*stream)(void *s, const char *path, size_t plen, void *buf, size_t chunk, chunk_fn fn, void *arg);
    /* Every path starting with prefix, in order; fn receives each one; returns the count. */
    long (*list)(void *s, const char *prefix, size_t plen, void (*fn)(void *arg, const char *p, size_t n), void *arg);
    /* Called in a fresh child process before the open is timed (loads/initialises runtimes). */
    void (*warm_runtime)(void);
    const char *(*version)(void);
} backend;

extern const backend backend_streamdb, backend_sqlite, backend_lmdb;

#endif
