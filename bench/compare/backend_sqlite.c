/* SQLite as its users store blobs: one table (path TEXT PRIMARY KEY, data BLOB), 8 KiB pages,
 * WAL with synchronous=FULL, prepared statements, one connection per thread (NOMUTEX), and
 * the incremental blob API for reads when cfg.sqlite_blob_read (the blob API needs a rowid). */
#include "backend.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char file[4096];
    int relaxed;
    sqlite3 *conn;        /* keeps the schema and WAL alive while sessions come and go */
} sq_db;

typedef struct {
    sqlite3 *conn;
    sqlite3_stmt *put, *get, *rowid, *list_range, *list_all, *begin, *commit;
    sqlite3_blob *blob;   /* reused with sqlite3_blob_reopen: opening one per read costs more */
} sq_sess;

static void check(sqlite3 *c, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        die("sqlite %s: %s (%d)", what, c ? sqlite3_errmsg(c) : sqlite3_errstr(rc), rc);
}

static void exec(sqlite3 *c, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(c, sql, NULL, NULL, &err) != SQLITE_OK) die("sqlite '%s': %s", sql, err ? err : "?");
}

static sqlite3 *connect(const char *file, int relaxed)
{
    sqlite3 *c = NULL;
    int rc = sqlite3_open_v2(file, &c, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    check(c, rc, "open");
    sqlite3_busy_timeout(c, 60000);
    /* Per connection. FULL: WAL synced at every COMMIT (durable). NORMAL: synced at checkpoints
     * only; a power cut may lose the last commits but never corrupts (SQLite's WAL advice). */
    exec(c, relaxed ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
    return c;
}

static void *sq_open(const char *dir, const open_opts *o)
{
    sq_db *d = calloc(1, sizeof *d);
    snprintf(d->file, sizeof d->file, "%s/sqlite.db", dir);
    d->relaxed = o->relaxed;
    d->conn = connect(d->file, d->relaxed);
    exec(d->conn, "PRAGMA page_size=8192");  /* only takes effect before the first table exists */
    exec(d->conn, "PRAGMA journal_mode=WAL");
    exec(d->conn, cfg.sqlite_rowid ? "CREATE TABLE IF NOT EXISTS kv(path TEXT PRIMARY KEY, data BLOB)"
                                   : "CREATE TABLE IF NOT EXISTS kv(path TEXT PRIMARY KEY, data BLOB) WITHOUT ROWID");
    return d;
}

static void sq_close(void *db)
{
    sq_db *d = db;
    check(d->conn, sqlite3_close(d->conn), "close");
    free(d);
}

static sqlite3_stmt *prep(sqlite3 *c, const char *sql)
{
    sqlite3_stmt *s = NULL;
    check(c, sqlite3_prepare_v3(c, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL), sql);
    return s;
}

static void *sq_session(void *db)
{
    sq_db *d = db;
    sq_sess *s = calloc(1, sizeof *s);
    s->conn = connect(d->file, d->relaxed);
    s->put = prep(s->conn, "INSERT INTO kv(path, data) VALUES(?1, ?2) ON CONFLICT(path) DO UPDATE SET data=excluded.data");
    s->get = prep(s->conn, "SELECT data FROM kv WHERE path=?1");
    if (cfg.sqlite_rowid) s->rowid = prep(s->conn, "SELECT rowid FROM kv WHERE path=?1");
    s->list_range = prep(s->conn, "SELECT path FROM kv WHERE path>=?1 AND path<?2 ORDER BY path");
    s->list_all = prep(s->conn, "SELECT path FROM kv ORDER BY path");
    s->begin = prep(s->conn, "BEGIN");
    s->commit = prep(s->conn, "COMMIT");
    return s;
}

/* An open blob handle pins a read snapshot; release it before writing or listing. */
static void drop_blob(sq_sess *s)
{
    if (s->blob) { sqlite3_blob_close(s->blob); s->blob = NULL; }
}

static void sq_session_close(void *sv)
{
    sq_sess *s = sv;
    drop_blob(s);
    sqlite3_stmt *all[] = { s->put, s->get, s->rowid, s->list_range, s->list_all, s->begin, s->commit };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) sqlite3_finalize(all[i]);
    check(s->conn, sqlite3_close(s->conn), "close");
    free(s);
}

static void step_done(sq_sess *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) check(s->conn, rc == SQLITE_ROW ? SQLITE_MISUSE : rc, what);
    sqlite3_reset(st);
}

static void sq_bulk_begin(void *sv) { sq_sess *s = sv; drop_blob(s); step_done(s, s->begin, "BEGIN"); }
static void sq_bulk_commit(void *sv) { sq_sess *s = sv; step_done(s, s->commit, "COMMIT"); }

static void sq_put(void *sv, const char *path, size_t plen, const void *data, size_t len)
{
    sq_sess *s = sv;
    drop_blob(s);
    sqlite3_bind_text(s->put, 1, path, (int)plen, SQLITE_STATIC);
    sqlite3_bind_blob64(s->put, 2, data, len, SQLITE_STATIC);
    step_done(s, s->put, "upsert");
}

static sqlite3_int64 find_rowid(sq_sess *s, const char *path, size_t plen)
{
    sqlite3_bind_text(s->rowid, 1, path, (int)plen, SQLITE_STATIC);
    int rc = sqlite3_step(s->rowid);
    sqlite3_int64 id = -1;
    if (rc == SQLITE_ROW) id = sqlite3_column_int64(s->rowid, 0);
    else check(s->conn, rc, "rowid lookup");
    sqlite3_reset(s->rowid);
    return id;
}

static int blob_at(sq_sess *s, sqlite3_int64 id)
{
    int rc;
    if (s->blob) {
        rc = sqlite3_blob_reopen(s->blob, id);
        if (rc == SQLITE_OK) return 0;
        drop_blob(s);   /* a failed reopen leaves the handle aborted */
    }
    rc = sqlite3_blob_open(s->conn, "main", "kv", "data", id, 0, &s->blob);
    check(s->conn, rc, "blob_open");
    return 0;
}

static long sq_get(void *sv, const char *path, size_t plen, void *buf, size_t cap)
{
    sq_sess *s = sv;
    if (cfg.sqlite_rowid && cfg.sqlite_blob_read) {
        sqlite3_int64 id = find_rowid(s, path, plen);
        if (id < 0) return -1;
        blob_at(s, id);
        int n = sqlite3_blob_bytes(s->blob);
        if ((size_t)n > cap) die("sqlite: document larger than the buffer");
        check(s->conn, sqlite3_blob_read(s->blob, buf, n, 0), "blob_read");
        return n;
    }
    sqlite3_bind_text(s->get, 1, path, (int)plen, SQLITE_STATIC);
    int rc = sqlite3_step(s->get);
    long n = -1;
    if (rc == SQLITE_ROW) {
        n = sqlite3_column_bytes(s->get, 0);
        if ((size_t)n > cap) die("sqlite: document larger than the buffer");
        memcpy(buf, sqlite3_column_blob(s->get, 0), (size_t)n);
    } else check(s->conn, rc, "select");
    sqlite3_reset(s->get);
    return n;
}

static long sq_stream(void *sv, const char *path, size_t plen, void *buf, size_t chunk, chunk_fn fn, void *arg)
{
    sq_sess *s = sv;
    if (cfg.sqlite_rowid) {
        sqlite3_int64 id = find_rowid(s, path, plen);
        if (id < 0) return -1;
        blob_at(s, id);
        long n = sqlite3_blob_bytes(s->blob);
        for (long off = 0; off < n; off += (long)chunk) {
            int k = (int)(n - off < (long)chunk ? n - off : (long)chunk);
            check(s->conn, sqlite3_blob_read(s->blob, buf, k, (int)off), "blob_read");
            fn(arg, buf, (size_t)k);
        }
        return n;
    }
    /* WITHOUT ROWID has no incremental blob API: the whole value arrives before the first chunk. */
    sqlite3_bind_text(s->get, 1, path, (int)plen, SQLITE_STATIC);
    int rc = sqlite3_step(s->get);
    long n = -1;
    if (rc == SQLITE_ROW) {
        n = sqlite3_column_bytes(s->get, 0);
        const char *p = sqlite3_column_blob(s->get, 0);
        for (long off = 0; off < n; off += (long)chunk)
            fn(arg, p + off, (size_t)(n - off < (long)chunk ? n - off : (long)chunk));
    } else check(s->conn, rc, "select");
    sqlite3_reset(s->get);
    return n;
}

static long sq_list(void *sv, const char *prefix, size_t plen, void (*fn)(void *, const char *, size_t), void *arg)
{
    sq_sess *s = sv;
    drop_blob(s);
    sqlite3_stmt *st = s->list_all;
    char hi[4096];
    if (plen) {
        /* path LIKE 'p%' cannot use the index under the default collation; a range can. */
        memcpy(hi, prefix, plen);
        hi[plen - 1]++;
        st = s->list_range;
        sqlite3_bind_text(st, 1, prefix, (int)plen, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, hi, (int)plen, SQLITE_STATIC);
    }
    long count = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fn(arg, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
        count++;
    }
    check(s->conn, rc, "list");
    sqlite3_reset(st);
    return count;
}

static void sq_warm(void) { sqlite3_initialize(); }
static const char *sq_version(void) { return sqlite3_libversion(); }

const backend backend_sqlite = {
    .name = "SQLite", .engine = E_SQLITE,
    .open = sq_open, .close = sq_close, .session = sq_session, .session_close = sq_session_close,
    .bulk_begin = sq_bulk_begin, .bulk_put = sq_put, .bulk_commit = sq_bulk_commit,
    .put = sq_put, .get = sq_get, .stream = sq_stream, .list = sq_list, .warm_runtime = sq_warm, .version = sq_version,
};
