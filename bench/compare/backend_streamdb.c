/* StreamDb through its C ABI with default options (8 KiB pages, 2048-page cache, every commit
 * durable before it returns) unless the workload asks for group commit (flush_interval_ms).
 * The handle is thread-safe, so every session shares it. */
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <streamdb.h>

typedef struct {
    streamdb *db;
    streamdb_batch *batch;
} sd_sess;

static void check(int rc, const char *what)
{
    if (rc < 0) die("streamdb %s: %s (%s, %d)", what, streamdb_errmsg(), streamdb_strerror(rc), rc);
}

static void *sd_open(const char *dir, const open_opts *o)
{
    char file[4096];
    snprintf(file, sizeof file, "%s/streamdb.sdb", dir);
    streamdb_options opts;
    streamdb_options_init(&opts);
    opts.flush_interval_ms = (uint32_t)o->group_ms;
    if (cfg.streamdb_keep >= 0) opts.versions_to_keep = cfg.streamdb_keep;
    streamdb *db = NULL;
    check(streamdb_open(file, &opts, &db), "open");
    return db;
}

static void sd_close(void *db) { check(streamdb_close(db), "close"); }

static void *sd_session(void *db)
{
    sd_sess *s = calloc(1, sizeof *s);
    s->db = db;
    return s;
}

static void sd_session_close(void *sv)
{
    sd_sess *s = sv;
    if (s->batch) streamdb_batch_abort(s->batch);
    free(s);
}

static void sd_bulk_begin(void *sv)
{
    sd_sess *s = sv;
    check(streamdb_batch_begin(s->db, &s->batch), "batch_begin");
}

static void sd_bulk_put(void *sv, const char *path, size_t plen, const void *data, size_t len)
{
    sd_sess *s = sv;
    check(streamdb_batch_write(s->batch, path, plen, data, len), "batch_write");
}

static void sd_bulk_commit(void *sv)
{
    sd_sess *s = sv;
    int rc = streamdb_batch_commit(s->batch);
    s->batch = NULL;   /* commit frees the batch whatever its outcome */
    check(rc, "batch_commit");
}

static void sd_put(void *sv, const char *path, size_t plen, const void *data, size_t len)
{
    sd_sess *s = sv;
    check(streamdb_write(s->db, path, plen, data, len, NULL), "write");
}

static long sd_get(void *sv, const char *path, size_t plen, void *buf, size_t cap)
{
    sd_sess *s = sv;
    if (cfg.streamdb_read_into) {
        size_t n = 0;
        int rc = streamdb_read_into(s->db, path, plen, 0, buf, cap, &n);
        if (rc == STREAMDB_ERR_NOT_FOUND) return -1;
        check(rc, "read_into");
        return (long)n;
    }
    /* Like SQLite's SELECT path: the library's buffer, copied where the caller wants it. */
    void *data = NULL;
    size_t n = 0;
    int rc = streamdb_read(s->db, path, plen, &data, &n);
    if (rc == STREAMDB_ERR_NOT_FOUND) return -1;
    check(rc, "read");
    if (n > cap) die("streamdb: document larger than the buffer");
    memcpy(buf, data, n);
    streamdb_free_buffer(data);
    return (long)n;
}

static long sd_stream(void *sv, const char *path, size_t plen, void *buf, size_t chunk, chunk_fn fn, void *arg)
{
    (void)buf; (void)chunk;   /* the reader hands out chunks of its own size */
    sd_sess *s = sv;
    streamdb_reader *r = NULL;
    int rc = streamdb_reader_open(s->db, path, plen, &r);
    if (rc == STREAMDB_ERR_NOT_FOUND) return -1;
    check(rc, "reader_open");
    long total = 0;
    const void *p;
    size_t n;
    while ((rc = streamdb_reader_next(r, &p, &n)) == STREAMDB_OK) {
        fn(arg, p, n);
        total += (long)n;
    }
    streamdb_reader_close(r);
    check(rc, "reader_next");
    return total;
}

static long sd_list(void *sv, const char *prefix, size_t plen, void (*fn)(void *, const char *, size_t), void *arg)
{
    sd_sess *s = sv;
    streamdb_iter *it = NULL;
    check(streamdb_search(s->db, prefix, plen, &it), "search");
    long count = 0;
    const char *p;
    size_t n;
    int rc;
    while ((rc = streamdb_iter_next(it, &p, &n)) == STREAMDB_OK) {
        fn(arg, p, n);
        count++;
    }
    streamdb_iter_free(it);
    check(rc, "iter_next");
    return count;
}

/* NativeAOT starts its runtime on the first call into the library; do that before timing. */
static void sd_warm(void) { (void)streamdb_version(); }
static const char *sd_version(void) { return streamdb_version(); }

const backend backend_streamdb = {
    .name = "StreamDb", .engine = E_STREAMDB,
    .open = sd_open, .close = sd_close, .session = sd_session, .session_close = sd_session_close,
    .bulk_begin = sd_bulk_begin, .bulk_put = sd_bulk_put, .bulk_commit = sd_bulk_commit,
    .put = sd_put, .get = sd_get, .stream = sd_stream, .list = sd_list, .warm_runtime = sd_warm, .version = sd_version,
};
