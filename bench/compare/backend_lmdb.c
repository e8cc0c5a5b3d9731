/* LMDB as documented for this use: one environment per database directory opened with
 * MDB_NOTLS (read transactions belong to sessions, not threads), a map sized for the workload,
 * default durability (every write transaction synced at commit), one read transaction per
 * session reused with mdb_txn_reset/mdb_txn_renew. */
#include "backend.h"

#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    MDB_env *env;
    MDB_dbi dbi;
} lm_db;

typedef struct {
    lm_db *d;
    MDB_txn *rtxn;   /* reset between reads; renewed rather than reallocated */
    MDB_txn *wtxn;   /* open during a bulk load */
} lm_sess;

static void check(int rc, const char *what)
{
    if (rc != MDB_SUCCESS) die("lmdb %s: %s (%d)", what, mdb_strerror(rc), rc);
}

static void *lm_open(const char *dir, const open_opts *o)
{
    lm_db *d = calloc(1, sizeof *d);
    check(mdb_env_create(&d->env), "env_create");
    check(mdb_env_set_mapsize(d->env, (size_t)o->map_size), "set_mapsize");
    check(mdb_env_set_maxreaders(d->env, 126), "set_maxreaders");
    /* MDB_NOMETASYNC (relaxed row only): data pages synced at commit, the meta page at the next
     * commit; the last transaction may be lost on a power cut, the database stays intact. */
    check(mdb_env_open(d->env, dir, MDB_NOTLS | (o->relaxed ? MDB_NOMETASYNC : 0), 0644), "env_open");
    MDB_txn *t;
    check(mdb_txn_begin(d->env, NULL, 0, &t), "txn_begin");
    check(mdb_dbi_open(t, NULL, 0, &d->dbi), "dbi_open");
    check(mdb_txn_commit(t), "commit");
    return d;
}

static void lm_close(void *db)
{
    lm_db *d = db;
    mdb_env_close(d->env);
    free(d);
}

static void *lm_session(void *db)
{
    lm_sess *s = calloc(1, sizeof *s);
    s->d = db;
    return s;
}

static void lm_session_close(void *sv)
{
    lm_sess *s = sv;
    if (s->rtxn) mdb_txn_abort(s->rtxn);
    if (s->wtxn) mdb_txn_abort(s->wtxn);
    free(s);
}

static void read_begin(lm_sess *s)
{
    if (s->rtxn) check(mdb_txn_renew(s->rtxn), "txn_renew");
    else check(mdb_txn_begin(s->d->env, NULL, MDB_RDONLY, &s->rtxn), "txn_begin(rdonly)");
}

static void lm_bulk_begin(void *sv)
{
    lm_sess *s = sv;
    check(mdb_txn_begin(s->d->env, NULL, 0, &s->wtxn), "txn_begin");
}

static void lm_bulk_put(void *sv, const char *path, size_t plen, const void *data, size_t len)
{
    lm_sess *s = sv;
    MDB_val k = { plen, (void *)path }, v = { len, (void *)data };
    check(mdb_put(s->wtxn, s->d->dbi, &k, &v, 0), "put");
}

static void lm_bulk_commit(void *sv)
{
    lm_sess *s = sv;
    check(mdb_txn_commit(s->wtxn), "commit");
    s->wtxn = NULL;
}

static void lm_put(void *sv, const char *path, size_t plen, const void *data, size_t len)
{
    lm_bulk_begin(sv);
    lm_bulk_put(sv, path, plen, data, len);
    lm_bulk_commit(sv);
}

static long lm_get(void *sv, const char *path, size_t plen, void *buf, size_t cap)
{
    lm_sess *s = sv;
    read_begin(s);
    MDB_val k = { plen, (void *)path }, v;
    int rc = mdb_get(s->rtxn, s->d->dbi, &k, &v);
    long n = -1;
    if (rc == MDB_SUCCESS) {
        if (v.mv_size > cap) die("lmdb: document larger than the buffer");
        memcpy(buf, v.mv_data, v.mv_size);
        n = (long)v.mv_size;
    } else if (rc != MDB_NOTFOUND) check(rc, "get");
    mdb_txn_reset(s->rtxn);
    return n;
}

/* LMDB has no streaming API: the value is mapped, so chunks are slices of the map. */
static long lm_stream(void *sv, const char *path, size_t plen, void *buf, size_t chunk, chunk_fn fn, void *arg)
{
    (void)buf;
    lm_sess *s = sv;
    read_begin(s);
    MDB_val k = { plen, (void *)path }, v;
    int rc = mdb_get(s->rtxn, s->d->dbi, &k, &v);
    long n = -1;
    if (rc == MDB_SUCCESS) {
        const char *p = v.mv_data;
        for (size_t off = 0; off < v.mv_size; off += chunk)
            fn(arg, p + off, v.mv_size - off < chunk ? v.mv_size - off : chunk);
        n = (long)v.mv_size;
    } else if (rc != MDB_NOTFOUND) check(rc, "get");
    mdb_txn_reset(s->rtxn);
    return n;
}

static long lm_list(void *sv, const char *prefix, size_t plen, void (*fn)(void *, const char *, size_t), void *arg)
{
    lm_sess *s = sv;
    read_begin(s);
    MDB_cursor *c;
    check(mdb_cursor_open(s->rtxn, s->d->dbi, &c), "cursor_open");
    MDB_val k = { plen, (void *)prefix }, v;
    long count = 0;
    int rc = mdb_cursor_get(c, &k, &v, plen ? MDB_SET_RANGE : MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen)) break;
        fn(arg, k.mv_data, k.mv_size);
        count++;
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) check(rc, "cursor_get");
    mdb_cursor_close(c);
    mdb_txn_reset(s->rtxn);
    return count;
}

static void lm_warm(void) { }
static const char *lm_version(void)
{
    static char v[32];
    int major, minor, patch;
    mdb_version(&major, &minor, &patch);
    snprintf(v, sizeof v, "%d.%d.%d", major, minor, patch);
    return v;
}

const backend backend_lmdb = {
    .name = "LMDB", .engine = E_LMDB,
    .open = lm_open, .close = lm_close, .session = lm_session, .session_close = lm_session_close,
    .bulk_begin = lm_bulk_begin, .bulk_put = lm_bulk_put, .bulk_commit = lm_bulk_commit,
    .put = lm_put, .get = lm_get, .stream = lm_stream, .list = lm_list, .warm_runtime = lm_warm, .version = lm_version,
};
