/* test_misuse.c: bad input at the boundary gets a clear status and a useful streamdb_errmsg,
 * never a crash, and changes nothing: NULL for each pointer argument, closed, double-closed,
 * freed, wrong-kind and never-issued handles, invalid UTF-8 and over-long paths, bad options,
 * zero-length and over-limit documents. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>

#include "check.h"

/* What the database holds, to prove a refused call changed nothing. */
typedef struct {
    uint64_t documents, paths;
    size_t listed;
    size_t first_len;
    char first[64];
} fingerprint;

static fingerprint take(streamdb *db) {
    fingerprint f;
    memset(&f, 0, sizeof f);
    struct streamdb_stats st;
    memset(&st, 0, sizeof st);
    if (streamdb_stats(db, &st) == STREAMDB_OK) {
        f.documents = st.documents;
        f.paths = st.paths;
    }
    streamdb_iter *it = NULL;
    if (streamdb_search(db, NULL, 0, &it) == STREAMDB_OK) {
        const char *p;
        size_t len;
        while (streamdb_iter_next(it, &p, &len) == STREAMDB_OK) f.listed++;
        streamdb_iter_free(it);
    }
    void *data = NULL;
    size_t len = 0;
    if (streamdb_read(db, LIT("base"), &data, &len) == STREAMDB_OK && len < sizeof f.first) {
        memcpy(f.first, data, len);
        f.first_len = len;
    }
    free(data);
    return f;
}

static int same(fingerprint a, fingerprint b) {
    return a.documents == b.documents && a.paths == b.paths && a.listed == b.listed &&
           a.first_len == b.first_len && memcmp(a.first, b.first, a.first_len) == 0;
}

static streamdb *open_with_base(uint64_t max_document_size) {
    streamdb_options o;
    streamdb_options_init(&o);
    o.max_document_size = max_document_size;
    streamdb *db = NULL;
    if (streamdb_open_memory(&o, &db) != STREAMDB_OK) return NULL;
    streamdb_write(db, LIT("base"), LIT("base document"), NULL);
    return db;
}

#define NEVER_ISSUED ((streamdb *)(uintptr_t)0x1234)
#define FORGED ((streamdb *)(uintptr_t)0x5D00000000000001ull) /* right tag, generation never issued */

TEST(null_pointer_arguments_are_invalid) {
    streamdb *db = open_with_base(0);
    REQUIRE(db);
    fingerprint before = take(db);
    streamdb_id id;
    CHECK_OK(streamdb_get_id(db, LIT("base"), &id));
    void *data;
    size_t len;
    uint64_t size;
    streamdb *out_db;
    streamdb_iter *it;
    streamdb_reader *r;
    streamdb_writer *w;
    streamdb_batch *b;
    streamdb_op *op;
    struct streamdb_stats st;
    streamdb_doc_info info;
    const char *p;
    const void *chunk;
    char buf[4];

    /* open and close */
    CHECK_ERROR(streamdb_open(NULL, NULL, &out_db), STREAMDB_ERR_INVALID, "file is NULL");
    CHECK_ERROR(streamdb_open("/tmp/x.sdb", NULL, NULL), STREAMDB_ERR_INVALID, "out_db is NULL");
    CHECK_ERROR(streamdb_open_memory(NULL, NULL), STREAMDB_ERR_INVALID, "out_db is NULL");
    CHECK_ERROR(streamdb_close(NULL), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_snapshot(NULL, &out_db), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_snapshot(db, NULL), STREAMDB_ERR_INVALID, "out_snapshot is NULL");
    streamdb_options_init(NULL);
    CHECK(strstr(streamdb_errmsg(), "opts is NULL") != NULL);

    /* documents */
    CHECK_ERROR(streamdb_write(NULL, LIT("a"), LIT("v"), NULL), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_write(db, NULL, 1, LIT("v"), NULL), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_write(db, LIT("a"), NULL, 5, NULL), STREAMDB_ERR_INVALID, "data is NULL");
    CHECK_ERROR(streamdb_insert(db, NULL, 3, LIT("v")), STREAMDB_ERR_INVALID, "key is NULL");
    CHECK_ERROR(streamdb_insert(db, LIT("a"), NULL, 2), STREAMDB_ERR_INVALID, "data is NULL");
    CHECK_ERROR(streamdb_read(NULL, LIT("base"), &data, &len), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_read(db, NULL, 4, &data, &len), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_read(db, LIT("base"), NULL, &len), STREAMDB_ERR_INVALID, "out_data is NULL");
    CHECK_ERROR(streamdb_read(db, LIT("base"), &data, NULL), STREAMDB_ERR_INVALID, "out_len is NULL");
    CHECK_ERROR(streamdb_read_into(NULL, LIT("base"), 0, buf, 4, &len), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_read_into(db, NULL, 4, 0, buf, 4, &len), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_read_into(db, LIT("base"), 0, NULL, 4, &len), STREAMDB_ERR_INVALID, "buf is NULL");
    CHECK_ERROR(streamdb_read_into(db, LIT("base"), 0, buf, 4, NULL), STREAMDB_ERR_INVALID, "out_len is NULL");
    CHECK_ERROR(streamdb_read_version(NULL, LIT("base"), 0, &data, &len), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_read_version(db, NULL, 4, 0, &data, &len), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_read_version(db, LIT("base"), 0, NULL, &len), STREAMDB_ERR_INVALID, "out_data is NULL");
    CHECK_ERROR(streamdb_read_version(db, LIT("base"), 0, &data, NULL), STREAMDB_ERR_INVALID, "out_len is NULL");
    CHECK(streamdb_get(db, NULL, 4, &len) == NULL);
    CHECK(strstr(streamdb_errmsg(), "key is NULL") != NULL);
    data = streamdb_get(db, LIT("base"), NULL); /* size_out may be NULL */
    CHECK(data != NULL);
    free(data);
    CHECK_ERROR(streamdb_stat(NULL, LIT("base"), &info), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_stat(db, NULL, 4, &info), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_stat(db, LIT("base"), NULL), STREAMDB_ERR_INVALID, "out_info is NULL");
    CHECK_ERROR(streamdb_delete(NULL, LIT("base")), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_delete(db, NULL, 4), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_delete_id(NULL, &id), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_delete_id(db, NULL), STREAMDB_ERR_INVALID, "id is NULL");

    /* paths */
    CHECK_ERROR(streamdb_get_id(NULL, LIT("base"), &id), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_get_id(db, NULL, 4, &id), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_get_id(db, LIT("base"), NULL), STREAMDB_ERR_INVALID, "out_id is NULL");
    CHECK_ERROR(streamdb_bind(NULL, &id, LIT("b2")), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_bind(db, NULL, LIT("b2")), STREAMDB_ERR_INVALID, "id is NULL");
    CHECK_ERROR(streamdb_bind(db, &id, NULL, 2), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_unbind(NULL, &id, LIT("base")), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_unbind(db, NULL, LIT("base")), STREAMDB_ERR_INVALID, "id is NULL");
    CHECK_ERROR(streamdb_unbind(db, &id, NULL, 4), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_search(NULL, LIT(""), &it), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_search(db, NULL, 3, &it), STREAMDB_ERR_INVALID, "prefix is NULL");
    CHECK_ERROR(streamdb_search(db, LIT(""), NULL), STREAMDB_ERR_INVALID, "out_iter is NULL");
    CHECK_ERROR(streamdb_list_paths(NULL, &id, &it), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_list_paths(db, NULL, &it), STREAMDB_ERR_INVALID, "id is NULL");
    CHECK_ERROR(streamdb_list_paths(db, &id, NULL), STREAMDB_ERR_INVALID, "out_iter is NULL");
    CHECK_ERROR(streamdb_iter_next(NULL, &p, &len), STREAMDB_ERR_INVALID, "it is NULL");
    CHECK_OK(streamdb_search(db, LIT(""), &it));
    CHECK_ERROR(streamdb_iter_next(it, NULL, &len), STREAMDB_ERR_INVALID, "out_path is NULL");
    CHECK_ERROR(streamdb_iter_next(it, &p, NULL), STREAMDB_ERR_INVALID, "out_len is NULL");
    streamdb_iter_free(it);
    CHECK(streamdb_prefix_search(db, NULL, 2) == NULL);
    CHECK(strstr(streamdb_errmsg(), "prefix is NULL") != NULL);

    /* streaming */
    CHECK_ERROR(streamdb_reader_open(NULL, LIT("base"), &r), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_reader_open(db, NULL, 4, &r), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_reader_open(db, LIT("base"), NULL), STREAMDB_ERR_INVALID, "out_reader is NULL");
    CHECK_ERROR(streamdb_reader_size(NULL, &size), STREAMDB_ERR_INVALID, "r is NULL");
    CHECK_ERROR(streamdb_reader_next(NULL, &chunk, &len), STREAMDB_ERR_INVALID, "r is NULL");
    CHECK_ERROR(streamdb_reader_seek(NULL, 0), STREAMDB_ERR_INVALID, "r is NULL");
    CHECK_OK(streamdb_reader_open(db, LIT("base"), &r));
    CHECK_ERROR(streamdb_reader_size(r, NULL), STREAMDB_ERR_INVALID, "out_size is NULL");
    CHECK_ERROR(streamdb_reader_next(r, NULL, &len), STREAMDB_ERR_INVALID, "out_chunk is NULL");
    CHECK_ERROR(streamdb_reader_next(r, &chunk, NULL), STREAMDB_ERR_INVALID, "out_len is NULL");
    streamdb_reader_close(r);
    CHECK_ERROR(streamdb_writer_open(NULL, LIT("w"), &w), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_writer_open(db, NULL, 1, &w), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_writer_open(db, LIT("w"), NULL), STREAMDB_ERR_INVALID, "out_writer is NULL");
    CHECK_ERROR(streamdb_writer_write(NULL, LIT("x")), STREAMDB_ERR_INVALID, "w is NULL");
    CHECK_ERROR(streamdb_writer_commit(NULL, &id), STREAMDB_ERR_INVALID, "w is NULL");
    CHECK_OK(streamdb_writer_open(db, LIT("w"), &w));
    CHECK_ERROR(streamdb_writer_write(w, NULL, 3), STREAMDB_ERR_INVALID, "data is NULL");
    streamdb_writer_abort(w);

    /* batches */
    CHECK_ERROR(streamdb_batch_begin(NULL, &b), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_batch_begin(db, NULL), STREAMDB_ERR_INVALID, "out_batch is NULL");
    CHECK_ERROR(streamdb_batch_write(NULL, LIT("x"), LIT("y")), STREAMDB_ERR_INVALID, "b is NULL");
    CHECK_ERROR(streamdb_batch_delete(NULL, LIT("x")), STREAMDB_ERR_INVALID, "b is NULL");
    CHECK_ERROR(streamdb_batch_commit(NULL), STREAMDB_ERR_INVALID, "b is NULL");
    CHECK_OK(streamdb_batch_begin(db, &b));
    CHECK_ERROR(streamdb_batch_write(b, NULL, 1, LIT("y")), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_batch_write(b, LIT("x"), NULL, 1), STREAMDB_ERR_INVALID, "data is NULL");
    CHECK_ERROR(streamdb_batch_delete(b, NULL, 1), STREAMDB_ERR_INVALID, "path is NULL");
    streamdb_batch_abort(b);

    /* async */
    CHECK_ERROR(streamdb_read_async(NULL, LIT("base"), &op), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_read_async(db, NULL, 4, &op), STREAMDB_ERR_INVALID, "path is NULL");
    CHECK_ERROR(streamdb_read_async(db, LIT("base"), NULL), STREAMDB_ERR_INVALID, "out_op is NULL");
    CHECK_ERROR(streamdb_op_wait(NULL, 0), STREAMDB_ERR_INVALID, "op is NULL");
    CHECK_ERROR(streamdb_op_result(NULL, &data, &len), STREAMDB_ERR_INVALID, "op is NULL");
    CHECK_OK(streamdb_read_async(db, LIT("base"), &op));
    CHECK_ERROR(streamdb_op_result(op, NULL, &len), STREAMDB_ERR_INVALID, "out_data is NULL");
    CHECK_ERROR(streamdb_op_result(op, &data, NULL), STREAMDB_ERR_INVALID, "out_len is NULL");
    CHECK_ERROR(streamdb_op_wait(op, -2), STREAMDB_ERR_INVALID, "timeout_ms");
    streamdb_op_free(op);

    /* maintenance */
    CHECK_ERROR(streamdb_flush(NULL), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_stats(NULL, &st), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_stats(db, NULL), STREAMDB_ERR_INVALID, "out_stats is NULL");
    CHECK_ERROR(streamdb_verify(NULL), STREAMDB_ERR_INVALID, "db is NULL");
    CHECK_ERROR(streamdb_compact(NULL), STREAMDB_ERR_INVALID, "db is NULL");
    streamdb_set_quick_mode(NULL, 1);
    CHECK(strstr(streamdb_errmsg(), "db is NULL") != NULL);

    CHECK(same(before, take(db)));
    CHECK_OK(streamdb_close(db));
}

TEST(closed_freed_and_double_closed_handles_are_invalid) {
    streamdb *db = open_with_base(0);
    REQUIRE(db);
    CHECK_OK(streamdb_close(db));
    CHECK_ERROR(streamdb_close(db), STREAMDB_ERR_INVALID, "streamdb_close");
    CHECK(strstr(streamdb_errmsg(), "not a live streamdb handle") != NULL);
    void *data;
    size_t len;
    CHECK_ERROR(streamdb_write(db, LIT("a"), LIT("v"), NULL), STREAMDB_ERR_INVALID, "streamdb_write");
    CHECK_ERROR(streamdb_read(db, LIT("base"), &data, &len), STREAMDB_ERR_INVALID, "streamdb_read");
    CHECK_ERROR(streamdb_flush(db), STREAMDB_ERR_INVALID, "streamdb_flush");
    CHECK(streamdb_get(db, LIT("base"), &len) == NULL);
    CHECK(streamdb_prefix_search(db, LIT("")) == NULL);
    streamdb_free(db); /* a double free through the compat call is harmless too */
    CHECK(strstr(streamdb_errmsg(), "streamdb_free") != NULL);

    /* a handle value is not reused for a new database: the old one stays dead */
    streamdb *again = open_with_base(0);
    REQUIRE(again);
    CHECK(again != db);
    CHECK_ERROR(streamdb_flush(db), STREAMDB_ERR_INVALID, "streamdb_flush");
    CHECK_OK(streamdb_flush(again));

    /* freed children */
    streamdb_iter *it;
    streamdb_reader *r;
    streamdb_writer *w;
    streamdb_batch *b;
    streamdb_op *op;
    const char *p;
    const void *chunk;
    CHECK_OK(streamdb_search(again, LIT(""), &it));
    streamdb_iter_free(it);
    CHECK_ERROR(streamdb_iter_next(it, &p, &len), STREAMDB_ERR_INVALID, "streamdb_iter_next");
    streamdb_iter_free(it);
    CHECK(strstr(streamdb_errmsg(), "streamdb_iter_free") != NULL);
    CHECK_OK(streamdb_reader_open(again, LIT("base"), &r));
    streamdb_reader_close(r);
    CHECK_ERROR(streamdb_reader_next(r, &chunk, &len), STREAMDB_ERR_INVALID, "streamdb_reader_next");
    streamdb_reader_close(r);
    CHECK(strstr(streamdb_errmsg(), "streamdb_reader_close") != NULL);
    CHECK_OK(streamdb_writer_open(again, LIT("w"), &w));
    CHECK_OK(streamdb_writer_commit(w, NULL));
    CHECK_ERROR(streamdb_writer_write(w, LIT("x")), STREAMDB_ERR_INVALID, "streamdb_writer_write");
    CHECK_ERROR(streamdb_writer_commit(w, NULL), STREAMDB_ERR_INVALID, "streamdb_writer_commit");
    streamdb_writer_abort(w);
    CHECK_OK(streamdb_batch_begin(again, &b));
    CHECK_OK(streamdb_batch_commit(b));
    CHECK_ERROR(streamdb_batch_write(b, LIT("x"), LIT("y")), STREAMDB_ERR_INVALID, "streamdb_batch_write");
    CHECK_ERROR(streamdb_batch_commit(b), STREAMDB_ERR_INVALID, "streamdb_batch_commit");
    streamdb_batch_abort(b);
    CHECK_OK(streamdb_read_async(again, LIT("base"), &op));
    streamdb_op_free(op);
    CHECK_ERROR(streamdb_op_wait(op, -1), STREAMDB_ERR_INVALID, "streamdb_op_wait");
    CHECK_ERROR(streamdb_op_result(op, &data, &len), STREAMDB_ERR_INVALID, "streamdb_op_result");
    streamdb_op_free(op);

    /* a handle of the wrong kind */
    CHECK_OK(streamdb_search(again, LIT(""), &it));
    CHECK_ERROR(streamdb_flush((streamdb *)(void *)it), STREAMDB_ERR_INVALID, "streamdb_flush");
    CHECK_ERROR(streamdb_reader_seek((streamdb_reader *)(void *)it, 0), STREAMDB_ERR_INVALID, "streamdb_reader_seek");
    CHECK_ERROR(streamdb_iter_next((streamdb_iter *)(void *)again, &p, &len), STREAMDB_ERR_INVALID, "streamdb_iter_next");
    streamdb_iter_free(it);
    CHECK_OK(streamdb_close(again));
}

TEST(never_issued_handle_values_are_invalid) {
    int on_stack = 0;
    streamdb *fakes[] = {NEVER_ISSUED, FORGED, (streamdb *)(void *)&on_stack, (streamdb *)(uintptr_t)-1,
                         (streamdb *)(uintptr_t)0x5DFFFFFFFFFFFFFFull};
    for (size_t i = 0; i < sizeof fakes / sizeof fakes[0]; i++) {
        void *data;
        size_t len;
        CHECK_ERROR(streamdb_flush(fakes[i]), STREAMDB_ERR_INVALID, "streamdb_flush");
        CHECK(strstr(streamdb_errmsg(), "never issued") != NULL);
        CHECK_ERROR(streamdb_read(fakes[i], LIT("x"), &data, &len), STREAMDB_ERR_INVALID, "streamdb_read");
        CHECK_ERROR(streamdb_close(fakes[i]), STREAMDB_ERR_INVALID, "streamdb_close");
        CHECK_ERROR(streamdb_iter_next((streamdb_iter *)(void *)fakes[i], (const char **)&data, &len),
                    STREAMDB_ERR_INVALID, "streamdb_iter_next");
        streamdb_iter_free((streamdb_iter *)(void *)fakes[i]);
        streamdb_reader_close((streamdb_reader *)(void *)fakes[i]);
        streamdb_writer_abort((streamdb_writer *)(void *)fakes[i]);
        streamdb_batch_abort((streamdb_batch *)(void *)fakes[i]);
        streamdb_op_free((streamdb_op *)(void *)fakes[i]);
        CHECK(strstr(streamdb_errmsg(), "streamdb_op_free") != NULL);
    }
    CHECK(on_stack == 0);
}

TEST(bad_paths_are_invalid_and_change_nothing) {
    streamdb *db = open_with_base(0);
    REQUIRE(db);
    fingerprint before = take(db);
    static char long_path[5000];
    memset(long_path, 'p', sizeof long_path);
    struct {
        const char *path;
        size_t len;
        const char *why;
    } bad[] = {
        {"\xff\xfe", 2, "invalid UTF-8"},
        {"a\xc3", 2, "truncated UTF-8 sequence"},
        {"\xed\xa0\x80", 3, "UTF-16 surrogate in UTF-8"},
        {"a\0b", 3, "NUL inside"},
        {"", 0, "empty"},
        {long_path, 4097, "one byte over 4096"},
        {long_path, sizeof long_path, "far over 4096"},
    };
    streamdb_id id;
    CHECK_OK(streamdb_get_id(db, LIT("base"), &id));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        void *data;
        size_t len;
        streamdb_writer *w = NULL;
        streamdb_batch *b = NULL;
        CHECK_ERROR(streamdb_write(db, bad[i].path, bad[i].len, LIT("v"), NULL), STREAMDB_ERR_INVALID, "streamdb_write");
        if (strlen(streamdb_errmsg()) < 20) fprintf(stderr, "  terse message for %s\n", bad[i].why);
        CHECK(streamdb_insert(db, bad[i].path, bad[i].len, LIT("v")) == STREAMDB_ERR_INVALID);
        CHECK_STATUS(streamdb_read(db, bad[i].path, bad[i].len, &data, &len), STREAMDB_ERR_INVALID);
        CHECK_STATUS(streamdb_delete(db, bad[i].path, bad[i].len), STREAMDB_ERR_INVALID);
        CHECK_STATUS(streamdb_bind(db, &id, bad[i].path, bad[i].len), STREAMDB_ERR_INVALID);
        int status = streamdb_writer_open(db, bad[i].path, bad[i].len, &w);
        CHECK_STATUS(status, STREAMDB_ERR_INVALID);
        if (status == STREAMDB_OK) streamdb_writer_abort(w);
        CHECK_OK(streamdb_batch_begin(db, &b));
        status = streamdb_batch_write(b, bad[i].path, bad[i].len, LIT("v"));
        if (status == STREAMDB_OK) /* a batch may defer the check to commit, but must refuse it */
            status = streamdb_batch_commit(b);
        else
            streamdb_batch_abort(b);
        CHECK_STATUS(status, STREAMDB_ERR_INVALID);
    }
    /* exactly 4096 bytes is fine */
    CHECK_OK(streamdb_write(db, long_path, 4096, LIT("edge"), NULL));
    CHECK_OK(streamdb_delete(db, long_path, 4096));
    /* a path over the limit still works as a search prefix: it just matches nothing */
    streamdb_iter *it = NULL;
    int status = streamdb_search(db, long_path, 4097, &it);
    if (status == STREAMDB_OK) {
        const char *p;
        size_t len;
        CHECK_STATUS(streamdb_iter_next(it, &p, &len), STREAMDB_DONE);
        streamdb_iter_free(it);
    } else {
        CHECK_STATUS(status, STREAMDB_ERR_INVALID);
    }
    CHECK(same(before, take(db)));
    CHECK_OK(streamdb_close(db));
}

TEST(bad_file_names_are_invalid) {
    streamdb *db = NULL;
    CHECK_ERROR(streamdb_open("", NULL, &db), STREAMDB_ERR_INVALID, "streamdb_open");
    CHECK_ERROR(streamdb_open("/tmp/\xff\xfe.sdb", NULL, &db), STREAMDB_ERR_INVALID, "UTF-8");
    CHECK(db == NULL);
    CHECK(streamdb_init("/tmp/\xc3.sdb", 0) == NULL);
    CHECK(strstr(streamdb_errmsg(), "UTF-8") != NULL);
    /* a directory is not a database */
    int status = streamdb_open("/tmp", NULL, &db);
    CHECK(status < 0);
    CHECK(db == NULL && strlen(streamdb_errmsg()) > 0);
}

TEST(bad_options_are_invalid) {
    streamdb_options o;
    streamdb *db = (streamdb *)(uintptr_t)0x99;
    memset(&o, 0, sizeof o); /* struct_size 0: never initialized */
    CHECK_ERROR(streamdb_open_memory(&o, &db), STREAMDB_ERR_INVALID, "struct_size");
    CHECK(db == NULL);
    streamdb_options_init(&o);
    o.struct_size = 0xdeadbeef;
    CHECK_ERROR(streamdb_open_memory(&o, &db), STREAMDB_ERR_INVALID, "struct_size");
    streamdb_options_init(&o);
    o.flags = 0x100;
    CHECK_ERROR(streamdb_open_memory(&o, &db), STREAMDB_ERR_INVALID, "flags");
    streamdb_options_init(&o);
    o.versions_to_keep = -5;
    CHECK_ERROR(streamdb_open_memory(&o, &db), STREAMDB_ERR_INVALID, "versions_to_keep");
    streamdb_options_init(&o);
    o.page_size = 1000;
    CHECK_STATUS(streamdb_open_memory(&o, &db), STREAMDB_ERR_INVALID);
    CHECK(strlen(streamdb_errmsg()) > 0);
    streamdb_options_init(&o);
    o.page_size = 3 * 4096;
    CHECK_STATUS(streamdb_open_memory(&o, &db), STREAMDB_ERR_INVALID);

    /* an older, smaller struct (before the flags field) is read up to its size */
    streamdb_options_init(&o);
    o.struct_size = 32;
    o.flags = 0x100; /* an unknown flag beyond struct_size: must be ignored */
    CHECK_OK(streamdb_open_memory(&o, &db));
    CHECK_OK(streamdb_close(db));
}

TEST(zero_length_documents_are_documents) {
    streamdb *db = open_with_base(0);
    REQUIRE(db);
    CHECK_OK(streamdb_write(db, LIT("empty"), NULL, 0, NULL));
    CHECK_OK(streamdb_write(db, LIT("empty2"), "ignored", 0, NULL));
    void *data = NULL;
    size_t len = 99;
    CHECK_OK(streamdb_read(db, LIT("empty"), &data, &len));
    CHECK(data != NULL && len == 0);
    free(data);
    data = streamdb_get(db, LIT("empty2"), &len);
    CHECK(data != NULL && len == 0);
    free(data);
    streamdb_doc_info info;
    memset(&info, 0, sizeof info);
    CHECK_OK(streamdb_stat(db, LIT("empty"), &info));
    CHECK(info.size == 0);
    streamdb_reader *r = NULL;
    CHECK_OK(streamdb_reader_open(db, LIT("empty"), &r));
    const void *chunk;
    CHECK_STATUS(streamdb_reader_next(r, &chunk, &len), STREAMDB_DONE);
    streamdb_reader_close(r);
    CHECK_OK(streamdb_close(db));
}

TEST(over_limit_documents_are_too_large_and_change_nothing) {
    streamdb *db = open_with_base(1000);
    REQUIRE(db);
    static char big[1001];
    memset(big, 'x', sizeof big);
    CHECK_OK(streamdb_write(db, LIT("limit"), big, 1000, NULL)); /* exactly the limit is fine */
    fingerprint before = take(db);
    CHECK_ERROR(streamdb_write(db, LIT("limit"), big, 1001, NULL), STREAMDB_ERR_TOO_LARGE, "streamdb_write");
    CHECK(strstr(streamdb_errmsg(), "1000") != NULL || strstr(streamdb_errmsg(), "1001") != NULL);
    CHECK_ERROR(streamdb_write(db, LIT("new"), big, 1001, NULL), STREAMDB_ERR_TOO_LARGE, "streamdb_write");
    CHECK(streamdb_insert(db, LIT("new"), big, 1001) == STREAMDB_ERR_TOO_LARGE);
    void *data;
    size_t len;
    CHECK_OK(streamdb_read(db, LIT("limit"), &data, &len));
    CHECK(len == 1000);
    free(data);

    /* streaming past the limit kills the writer; nothing becomes visible */
    streamdb_writer *w = NULL;
    CHECK_OK(streamdb_writer_open(db, LIT("limit"), &w));
    CHECK_OK(streamdb_writer_write(w, big, 600));
    CHECK_ERROR(streamdb_writer_write(w, big, 401), STREAMDB_ERR_TOO_LARGE, "streamdb_writer_write");
    int status = streamdb_writer_commit(w, NULL);
    CHECK(status < 0);
    streamdb_batch *b = NULL;
    CHECK_OK(streamdb_batch_begin(db, &b));
    status = streamdb_batch_write(b, LIT("new"), big, 1001);
    if (status == STREAMDB_OK)
        status = streamdb_batch_commit(b);
    else
        streamdb_batch_abort(b);
    CHECK_STATUS(status, STREAMDB_ERR_TOO_LARGE);
    CHECK(same(before, take(db)));
    CHECK_OK(streamdb_close(db));
}

TEST(errmsg_is_never_null_and_holds_long_messages) {
    CHECK(streamdb_errmsg() != NULL);
    CHECK_STATUS(streamdb_flush(NULL), STREAMDB_ERR_INVALID);
    CHECK(streamdb_errmsg() != NULL && strlen(streamdb_errmsg()) > 0);
    /* a long message (a long path in it) is kept whole or cut, never overflowing */
    static char long_path[4097];
    memset(long_path, 'z', sizeof long_path);
    streamdb *db = open_with_base(0);
    REQUIRE(db);
    void *data;
    size_t len;
    CHECK_STATUS(streamdb_read(db, long_path, 4096, &data, &len), STREAMDB_ERR_NOT_FOUND);
    CHECK(strlen(streamdb_errmsg()) > 0);
    CHECK_OK(streamdb_close(db));
}

static const test_case cases[] = {
    CASE(null_pointer_arguments_are_invalid),
    CASE(closed_freed_and_double_closed_handles_are_invalid),
    CASE(never_issued_handle_values_are_invalid),
    CASE(bad_paths_are_invalid_and_change_nothing),
    CASE(bad_file_names_are_invalid),
    CASE(bad_options_are_invalid),
    CASE(zero_length_documents_are_documents),
    CASE(over_limit_documents_are_too_large_and_change_nothing),
    CASE(errmsg_is_never_null_and_holds_long_messages),
};

int main(void) { return RUN_TESTS("test_misuse", cases); }
