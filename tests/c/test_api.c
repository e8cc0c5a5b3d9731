/* test_api.c: every function of the C ABI does what the contract (shared/C-API.md) says on
 * its success paths and on its ordinary failures (not found, read-only, busy, too large). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <unistd.h>

#include "check.h"

static streamdb *open_memory(void) {
    streamdb *db = NULL;
    int status = streamdb_open_memory(NULL, &db);
    if (status != STREAMDB_OK) fprintf(stderr, "  open_memory: %s\n", streamdb_errmsg());
    return db;
}

static int read_equals(streamdb *db, const char *path, const void *expected, size_t len) {
    void *data = NULL;
    size_t got = 0;
    int status = streamdb_read(db, path, strlen(path), &data, &got);
    int same = status == STREAMDB_OK && data != NULL && got == len && memcmp(data, expected, len) == 0;
    streamdb_free_buffer(data);
    return same;
}

static size_t count_search(streamdb *db, const char *prefix) {
    streamdb_iter *it = NULL;
    if (streamdb_search(db, prefix, strlen(prefix), &it) != STREAMDB_OK) return (size_t)-1;
    size_t n = 0;
    const char *p;
    size_t len;
    while (streamdb_iter_next(it, &p, &len) == STREAMDB_OK) n++;
    streamdb_iter_free(it);
    return n;
}

TEST(version_matches_the_header) {
    CHECK(strcmp(streamdb_version(), STREAMDB_VERSION_STRING) == 0);
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", STREAMDB_VERSION_MAJOR, STREAMDB_VERSION_MINOR,
             STREAMDB_VERSION_PATCH);
    CHECK(strcmp(streamdb_version(), expected) == 0);
}

TEST(strerror_describes_every_status_and_unknown_ones) {
    int codes[] = {STREAMDB_OK, STREAMDB_DONE, STREAMDB_ERR_IO, STREAMDB_ERR_NOT_FOUND,
                   STREAMDB_ERR_INVALID, STREAMDB_ERR_INTERNAL, STREAMDB_ERR_CORRUPTED,
                   STREAMDB_ERR_TOO_LARGE, STREAMDB_ERR_FULL, STREAMDB_ERR_BUSY,
                   STREAMDB_ERR_READ_ONLY, STREAMDB_ERR_BUFFER_TOO_SMALL, STREAMDB_ERR_TIMEOUT};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *text = streamdb_strerror(codes[i]);
        CHECK(text != NULL && strlen(text) > 3);
        CHECK(strcmp(text, streamdb_strerror(12345)) != 0);
        for (size_t j = 0; j < i; j++) CHECK(strcmp(text, streamdb_strerror(codes[j])) != 0);
    }
    CHECK(streamdb_strerror(-999) != NULL);
}

TEST(status_codes_have_the_contract_values) {
    CHECK(STREAMDB_OK == 0 && STREAMDB_DONE == 1 && STREAMDB_ERR_IO == -1);
    CHECK(STREAMDB_ERR_NOT_FOUND == -2 && STREAMDB_ERR_INVALID == -3 && STREAMDB_ERR_INTERNAL == -4);
    CHECK(STREAMDB_ERR_CORRUPTED == -5 && STREAMDB_ERR_TOO_LARGE == -6 && STREAMDB_ERR_FULL == -7);
    CHECK(STREAMDB_ERR_BUSY == -8 && STREAMDB_ERR_READ_ONLY == -9);
    CHECK(STREAMDB_ERR_BUFFER_TOO_SMALL == -10 && STREAMDB_ERR_TIMEOUT == -11);
    CHECK(STREAMDB_OPEN_READ_ONLY == 0x1 && STREAMDB_OPEN_NO_CREATE == 0x2 && STREAMDB_OPEN_COMPRESS == 0x4);
    CHECK(STREAMDB_OPEN_QUICK == 0x8 && STREAMDB_OPEN_NO_SYNC == 0x10);
    CHECK(sizeof(streamdb_id) == 16);
    CHECK(sizeof(streamdb_options) == 40);
    CHECK(sizeof(struct streamdb_stats) == 64);
    CHECK(sizeof(streamdb_doc_info) == 48);
}

TEST(options_init_fills_the_documented_defaults) {
    streamdb_options o;
    memset(&o, 0xAB, sizeof o);
    streamdb_options_init(&o);
    CHECK(o.struct_size == sizeof(streamdb_options));
    CHECK(o.page_size == 8192);
    CHECK(o.max_document_size == 256u << 20);
    CHECK(o.max_db_size == (uint64_t)8 << 40);
    CHECK(o.page_cache_pages == 2048);
    CHECK(o.versions_to_keep == 2);
    CHECK(o.flags == 0);
    CHECK(o.flush_interval_ms == 0);
    CHECK(strcmp(streamdb_errmsg(), "") == 0);
}

TEST(write_then_read_returns_the_same_bytes_and_id) {
    streamdb *db = open_memory();
    REQUIRE(db);
    streamdb_id id, id2;
    memset(&id, 0, sizeof id);
    CHECK_OK(streamdb_write(db, LIT("docs/a"), LIT("hello"), &id));
    CHECK(strcmp(streamdb_errmsg(), "") == 0);
    int nonzero = 0;
    for (int i = 0; i < 16; i++) nonzero |= id.bytes[i];
    CHECK(nonzero);
    CHECK(read_equals(db, "docs/a", "hello", 5));
    CHECK_OK(streamdb_get_id(db, LIT("docs/a"), &id2));
    CHECK(memcmp(&id, &id2, sizeof id) == 0);
    /* a new version keeps the id; out_id may be NULL */
    CHECK_OK(streamdb_write(db, LIT("docs/a"), LIT("hello, again"), NULL));
    CHECK(read_equals(db, "docs/a", "hello, again", 12));
    CHECK_OK(streamdb_get_id(db, LIT("docs/a"), &id2));
    CHECK(memcmp(&id, &id2, sizeof id) == 0);
    CHECK_OK(streamdb_close(db));
}

TEST(read_of_a_missing_path_is_not_found_and_leaves_outputs_empty) {
    streamdb *db = open_memory();
    REQUIRE(db);
    void *data = (void *)1;
    size_t len = 99;
    CHECK_ERROR(streamdb_read(db, LIT("nope"), &data, &len), STREAMDB_ERR_NOT_FOUND, "streamdb_read");
    CHECK(data == NULL && len == 0);
    streamdb_id id;
    CHECK_STATUS(streamdb_get_id(db, LIT("nope"), &id), STREAMDB_ERR_NOT_FOUND);
    CHECK_STATUS(streamdb_delete(db, LIT("nope")), STREAMDB_ERR_NOT_FOUND);
    streamdb_doc_info info = {0};
    CHECK_STATUS(streamdb_stat(db, LIT("nope"), &info), STREAMDB_ERR_NOT_FOUND);
    streamdb_reader *r = NULL;
    CHECK_STATUS(streamdb_reader_open(db, LIT("nope"), &r), STREAMDB_ERR_NOT_FOUND);
    CHECK(r == NULL);
    CHECK_OK(streamdb_close(db));
}

TEST(read_into_copies_a_window_and_zero_past_the_end) {
    streamdb *db = open_memory();
    REQUIRE(db);
    CHECK_OK(streamdb_write(db, LIT("w"), LIT("0123456789"), NULL));
    char buf[8];
    size_t n = 99;
    CHECK_OK(streamdb_read_into(db, LIT("w"), 2, buf, 4, &n));
    CHECK(n == 4 && memcmp(buf, "2345", 4) == 0);
    CHECK_OK(streamdb_read_into(db, LIT("w"), 7, buf, sizeof buf, &n));
    CHECK(n == 3 && memcmp(buf, "789", 3) == 0);
    CHECK_OK(streamdb_read_into(db, LIT("w"), 10, buf, sizeof buf, &n));
    CHECK(n == 0);
    CHECK_OK(streamdb_read_into(db, LIT("w"), 1000, buf, sizeof buf, &n));
    CHECK(n == 0);
    CHECK_STATUS(streamdb_read_into(db, LIT("missing"), 0, buf, sizeof buf, &n), STREAMDB_ERR_NOT_FOUND);
    CHECK_OK(streamdb_close(db));
}

TEST(read_version_reaches_kept_versions_and_not_further) {
    streamdb *db = open_memory();
    REQUIRE(db);
    CHECK_OK(streamdb_write(db, LIT("v"), LIT("one"), NULL));
    CHECK_OK(streamdb_write(db, LIT("v"), LIT("two"), NULL));
    CHECK_OK(streamdb_write(db, LIT("v"), LIT("three"), NULL));
    void *data = NULL;
    size_t len = 0;
    CHECK_OK(streamdb_read_version(db, LIT("v"), 0, &data, &len));
    CHECK(len == 5 && memcmp(data, "three", 5) == 0);
    free(data);
    CHECK_OK(streamdb_read_version(db, LIT("v"), 1, &data, &len));
    CHECK(len == 3 && memcmp(data, "two", 3) == 0);
    free(data);
    CHECK_OK(streamdb_read_version(db, LIT("v"), 2, &data, &len));
    CHECK(len == 3 && memcmp(data, "one", 3) == 0);
    free(data);
    /* default versions_to_keep is 2: a fourth write drops "one" */
    CHECK_OK(streamdb_write(db, LIT("v"), LIT("four"), NULL));
    CHECK_STATUS(streamdb_read_version(db, LIT("v"), 3, &data, &len), STREAMDB_ERR_NOT_FOUND);
    CHECK(data == NULL);
    CHECK_STATUS(streamdb_read_version(db, LIT("v"), 4000000000u, &data, &len), STREAMDB_ERR_NOT_FOUND);
    CHECK_OK(streamdb_close(db));
}

TEST(stat_reports_size_version_paths_and_kept_versions) {
    streamdb *db = open_memory();
    REQUIRE(db);
    streamdb_id id;
    CHECK_OK(streamdb_write(db, LIT("s/1"), LIT("abc"), &id));
    CHECK_OK(streamdb_write(db, LIT("s/1"), LIT("abcdef"), NULL));
    CHECK_OK(streamdb_bind(db, &id, LIT("s/2")));
    streamdb_doc_info info;
    memset(&info, 0, sizeof info); /* struct_size 0 = the whole struct */
    CHECK_OK(streamdb_stat(db, LIT("s/2"), &info));
    CHECK(info.struct_size == sizeof info);
    CHECK(memcmp(&info.id, &id, sizeof id) == 0);
    CHECK(info.size == 6);
    CHECK(info.version == 2);
    CHECK(info.path_count == 2);
    CHECK(info.versions_kept == 1);
    /* an older, smaller struct gets only what fits */
    struct { uint32_t struct_size; streamdb_id id; uint64_t size; } small;
    memset(&small, 0, sizeof small);
    small.struct_size = sizeof small;
    CHECK_OK(streamdb_stat(db, LIT("s/1"), (streamdb_doc_info *)(void *)&small));
    CHECK(small.struct_size == sizeof small && small.size == 6);
    CHECK_OK(streamdb_close(db));
}

TEST(bind_unbind_list_paths_and_delete_id) {
    streamdb *db = open_memory();
    REQUIRE(db);
    streamdb_id id, other;
    CHECK_OK(streamdb_write(db, LIT("p/a"), LIT("doc"), &id));
    CHECK_OK(streamdb_bind(db, &id, LIT("p/c")));
    CHECK_OK(streamdb_bind(db, &id, LIT("p/b")));
    CHECK(read_equals(db, "p/b", "doc", 3));

    streamdb_iter *it = NULL;
    CHECK_OK(streamdb_list_paths(db, &id, &it));
    const char *path;
    size_t len;
    const char *expected[] = {"p/a", "p/b", "p/c"};
    for (int i = 0; i < 3; i++) {
        CHECK_OK(streamdb_iter_next(it, &path, &len));
        CHECK(len == 3 && memcmp(path, expected[i], 3) == 0);
    }
    CHECK_STATUS(streamdb_iter_next(it, &path, &len), STREAMDB_DONE);
    CHECK(path == NULL && len == 0);
    CHECK_STATUS(streamdb_iter_next(it, &path, &len), STREAMDB_DONE);
    streamdb_iter_free(it);

    /* rebinding a path of another document deletes that document when it has no path left */
    CHECK_OK(streamdb_write(db, LIT("q/x"), LIT("other"), &other));
    CHECK_OK(streamdb_bind(db, &id, LIT("q/x")));
    CHECK(read_equals(db, "q/x", "doc", 3));
    CHECK_STATUS(streamdb_list_paths(db, &other, &it), STREAMDB_ERR_NOT_FOUND);

    /* unbind keeps the document even with no path left */
    CHECK_OK(streamdb_unbind(db, &id, LIT("p/a")));
    CHECK_OK(streamdb_unbind(db, &id, LIT("p/b")));
    CHECK_OK(streamdb_unbind(db, &id, LIT("p/c")));
    CHECK_OK(streamdb_unbind(db, &id, LIT("q/x")));
    CHECK_STATUS(streamdb_unbind(db, &id, LIT("q/x")), STREAMDB_ERR_NOT_FOUND);
    CHECK_OK(streamdb_list_paths(db, &id, &it));
    CHECK_STATUS(streamdb_iter_next(it, &path, &len), STREAMDB_DONE);
    streamdb_iter_free(it);
    CHECK_OK(streamdb_bind(db, &id, LIT("back")));
    CHECK(read_equals(db, "back", "doc", 3));

    CHECK_OK(streamdb_delete_id(db, &id));
    CHECK_STATUS(streamdb_delete_id(db, &id), STREAMDB_ERR_NOT_FOUND);
    CHECK_STATUS(streamdb_get_id(db, LIT("back"), &other), STREAMDB_ERR_NOT_FOUND);
    CHECK_STATUS(streamdb_bind(db, &id, LIT("again")), STREAMDB_ERR_NOT_FOUND);
    CHECK_OK(streamdb_close(db));
}

TEST(delete_unbinds_and_deletes_the_last_path) {
    streamdb *db = open_memory();
    REQUIRE(db);
    streamdb_id id;
    CHECK_OK(streamdb_write(db, LIT("d/1"), LIT("x"), &id));
    CHECK_OK(streamdb_bind(db, &id, LIT("d/2")));
    CHECK_OK(streamdb_delete(db, LIT("d/1")));
    CHECK(read_equals(db, "d/2", "x", 1));
    CHECK_OK(streamdb_delete(db, LIT("d/2")));
    streamdb_iter *it = NULL;
    CHECK_STATUS(streamdb_list_paths(db, &id, &it), STREAMDB_ERR_NOT_FOUND);
    CHECK_OK(streamdb_close(db));
}

TEST(search_lists_prefix_matches_in_byte_order) {
    streamdb *db = open_memory();
    REQUIRE(db);
    const char *paths[] = {"b", "a/2", "a", "a/1", "ab", "a/\xc3\xa9", "c"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        CHECK_OK(streamdb_write(db, paths[i], strlen(paths[i]), "v", 1, NULL));
    streamdb_iter *it = NULL;
    CHECK_OK(streamdb_search(db, LIT("a"), &it));
    const char *expected[] = {"a", "a/1", "a/2", "a/\xc3\xa9", "ab"};
    const char *p;
    size_t len;
    for (size_t i = 0; i < 5; i++) {
        CHECK_OK(streamdb_iter_next(it, &p, &len));
        CHECK(len == strlen(expected[i]) && memcmp(p, expected[i], len) == 0);
    }
    CHECK_STATUS(streamdb_iter_next(it, &p, &len), STREAMDB_DONE);
    streamdb_iter_free(it);
    CHECK(count_search(db, "") == 7);
    CHECK_OK(streamdb_search(db, NULL, 0, &it)); /* NULL with length 0 is the empty prefix */
    streamdb_iter_free(it);
    CHECK(count_search(db, "zzz") == 0);
    /* the iterator sees the paths as of the call */
    CHECK_OK(streamdb_search(db, LIT("a/"), &it));
    CHECK_OK(streamdb_write(db, LIT("a/0"), LIT("late"), NULL));
    CHECK_OK(streamdb_delete(db, LIT("a/2")));
    size_t n = 0;
    while (streamdb_iter_next(it, &p, &len) == STREAMDB_OK) {
        CHECK(!(len == 3 && memcmp(p, "a/0", 3) == 0));
        n++;
    }
    CHECK(n == 3);
    streamdb_iter_free(it);
    CHECK_OK(streamdb_close(db));
}

TEST(streaming_writer_and_reader_round_trip_a_large_document) {
    streamdb *db = open_memory();
    REQUIRE(db);
    const size_t total = 3 * 1024 * 1024 + 17;
    unsigned char *expected = malloc(total);
    REQUIRE(expected);
    for (size_t i = 0; i < total; i++) expected[i] = (unsigned char)(i * 131 + (i >> 11));
    streamdb_writer *w = NULL;
    CHECK_OK(streamdb_writer_open(db, LIT("big"), &w));
    REQUIRE(w);
    for (size_t off = 0; off < total;) {
        size_t n = total - off < 70001 ? total - off : 70001;
        CHECK_OK(streamdb_writer_write(w, expected + off, n));
        off += n;
    }
    CHECK_OK(streamdb_writer_write(w, NULL, 0));
    CHECK_STATUS(streamdb_get_id(db, LIT("big"), &(streamdb_id){{0}}), STREAMDB_ERR_NOT_FOUND);
    streamdb_id id;
    CHECK_OK(streamdb_writer_commit(w, &id));

    streamdb_reader *r = NULL;
    CHECK_OK(streamdb_reader_open(db, LIT("big"), &r));
    REQUIRE(r);
    uint64_t size = 0;
    CHECK_OK(streamdb_reader_size(r, &size));
    CHECK(size == total);
    /* overwriting does not disturb an open reader */
    CHECK_OK(streamdb_write(db, LIT("big"), LIT("small now"), NULL));
    size_t got = 0;
    int same = 1;
    const void *chunk;
    size_t len;
    int status;
    while ((status = streamdb_reader_next(r, &chunk, &len)) == STREAMDB_OK) {
        if (got + len > total || memcmp(chunk, expected + got, len) != 0) same = 0;
        got += len;
    }
    CHECK_STATUS(status, STREAMDB_DONE);
    CHECK(chunk == NULL && len == 0);
    CHECK(same && got == total);
    CHECK_OK(streamdb_reader_seek(r, total - 5));
    CHECK_OK(streamdb_reader_next(r, &chunk, &len));
    CHECK(len == 5 && memcmp(chunk, expected + total - 5, 5) == 0);
    CHECK_OK(streamdb_reader_seek(r, total));
    CHECK_STATUS(streamdb_reader_next(r, &chunk, &len), STREAMDB_DONE);
    CHECK_ERROR(streamdb_reader_seek(r, total + 1), STREAMDB_ERR_INVALID, "streamdb_reader_seek");
    streamdb_reader_close(r);
    CHECK(read_equals(db, "big", "small now", 9));
    free(expected);
    CHECK_OK(streamdb_close(db));
}

TEST(writer_abort_leaves_nothing_visible) {
    streamdb *db = open_memory();
    REQUIRE(db);
    CHECK_OK(streamdb_write(db, LIT("keep"), LIT("old"), NULL));
    streamdb_writer *w = NULL;
    CHECK_OK(streamdb_writer_open(db, LIT("keep"), &w));
    CHECK_OK(streamdb_writer_write(w, LIT("new data")));
    streamdb_writer_abort(w);
    CHECK(read_equals(db, "keep", "old", 3));
    CHECK_OK(streamdb_writer_open(db, LIT("never"), &w));
    streamdb_writer_abort(w);
    CHECK(count_search(db, "never") == 0);
    CHECK_OK(streamdb_close(db));
}

TEST(batch_commit_applies_everything_and_abort_nothing) {
    streamdb *db = open_memory();
    REQUIRE(db);
    CHECK_OK(streamdb_write(db, LIT("b/old"), LIT("x"), NULL));
    streamdb_batch *b = NULL;
    CHECK_OK(streamdb_batch_begin(db, &b));
    CHECK_OK(streamdb_batch_write(b, LIT("b/1"), LIT("one")));
    CHECK_OK(streamdb_batch_write(b, LIT("b/2"), LIT("two")));
    CHECK_OK(streamdb_batch_delete(b, LIT("b/old")));
    CHECK(count_search(db, "b/") == 1);
    CHECK_OK(streamdb_batch_commit(b));
    CHECK(read_equals(db, "b/1", "one", 3));
    CHECK(read_equals(db, "b/2", "two", 3));
    CHECK(count_search(db, "b/") == 2);

    CHECK_OK(streamdb_batch_begin(db, &b));
    CHECK_OK(streamdb_batch_write(b, LIT("b/3"), LIT("three")));
    streamdb_batch_abort(b);
    CHECK(count_search(db, "b/") == 2);

    /* a delete of an unbound path fails the whole batch */
    CHECK_OK(streamdb_batch_begin(db, &b));
    CHECK_OK(streamdb_batch_write(b, LIT("b/4"), LIT("four")));
    CHECK_OK(streamdb_batch_delete(b, LIT("b/missing")));
    CHECK_ERROR(streamdb_batch_commit(b), STREAMDB_ERR_NOT_FOUND, "streamdb_batch_commit");
    CHECK(count_search(db, "b/") == 2);
    CHECK_OK(streamdb_close(db));
}

TEST(async_read_is_waited_for_and_returns_a_caller_buffer) {
    streamdb *db = open_memory();
    REQUIRE(db);
    CHECK_OK(streamdb_write(db, LIT("async"), LIT("payload"), NULL));
    streamdb_op *op = NULL;
    CHECK_OK(streamdb_read_async(db, LIT("async"), &op));
    REQUIRE(op);
    CHECK_OK(streamdb_op_wait(op, -1));
    CHECK_OK(streamdb_op_wait(op, 0));
    void *data = NULL;
    size_t len = 0;
    CHECK_OK(streamdb_op_result(op, &data, &len));
    CHECK(len == 7 && data && memcmp(data, "payload", 7) == 0);
    free(data);
    /* a second result call hands out another buffer */
    CHECK_OK(streamdb_op_result(op, &data, &len));
    CHECK(len == 7);
    streamdb_free_buffer(data);
    streamdb_op_free(op);

    CHECK_OK(streamdb_read_async(db, LIT("missing"), &op));
    int status;
    while ((status = streamdb_op_wait(op, 10)) == STREAMDB_ERR_TIMEOUT) {
    }
    CHECK_OK(status);
    CHECK_ERROR(streamdb_op_result(op, &data, &len), STREAMDB_ERR_NOT_FOUND, "streamdb_op_result");
    CHECK(data == NULL && len == 0);
    streamdb_op_free(op);

    /* freeing a running operation is fine */
    for (int i = 0; i < 50; i++) {
        CHECK_OK(streamdb_read_async(db, LIT("async"), &op));
        streamdb_op_free(op);
    }
    CHECK_OK(streamdb_close(db));
}

TEST(snapshot_does_not_see_later_writes_and_is_read_only) {
    streamdb *db = open_memory();
    REQUIRE(db);
    CHECK_OK(streamdb_write(db, LIT("snap"), LIT("before"), NULL));
    streamdb *snap = NULL;
    CHECK_OK(streamdb_snapshot(db, &snap));
    REQUIRE(snap);
    CHECK_OK(streamdb_write(db, LIT("snap"), LIT("after"), NULL));
    CHECK_OK(streamdb_write(db, LIT("snap2"), LIT("new"), NULL));
    CHECK(read_equals(snap, "snap", "before", 6));
    CHECK(read_equals(db, "snap", "after", 5));
    CHECK(count_search(snap, "snap") == 1);
    CHECK_ERROR(streamdb_write(snap, LIT("x"), LIT("y"), NULL), STREAMDB_ERR_READ_ONLY, "streamdb_write");
    CHECK_STATUS(streamdb_delete(snap, LIT("snap")), STREAMDB_ERR_READ_ONLY);
    CHECK_OK(streamdb_close(snap));
    CHECK_OK(streamdb_close(db));
}

TEST(file_database_survives_close_and_reopen_with_stats_verify_compact) {
    char file[512];
    scratch_file(file, sizeof file, "api-reopen.sdb");
    streamdb_options o;
    streamdb_options_init(&o);
    o.page_size = 4096;
    streamdb *db = NULL;
    CHECK_OK(streamdb_open(file, &o, &db));
    REQUIRE(db);
    char path[32], data[5000];
    for (int i = 0; i < 200; i++) {
        snprintf(path, sizeof path, "f/%03d", i);
        memset(data, 'a' + i % 26, sizeof data);
        CHECK_OK(streamdb_write(db, path, strlen(path), data, (size_t)(i * 25), NULL));
    }
    for (int i = 0; i < 150; i++) {
        snprintf(path, sizeof path, "f/%03d", i);
        CHECK_OK(streamdb_delete(db, path, strlen(path)));
    }
    CHECK_OK(streamdb_flush(db));
    struct streamdb_stats st;
    memset(&st, 0, sizeof st);
    CHECK_OK(streamdb_stats(db, &st));
    CHECK(st.struct_size == sizeof st);
    CHECK(st.page_size == 4096);
    CHECK(st.documents == 50 && st.paths == 50);
    CHECK(st.total_pages >= 1 && st.free_pages <= st.total_pages);
    CHECK(st.file_bytes > 0);
    CHECK_OK(streamdb_verify(db));
    CHECK_OK(streamdb_compact(db));
    CHECK_OK(streamdb_verify(db));
    CHECK_OK(streamdb_close(db));

    /* the page size is the file's, whatever the options say now */
    CHECK_OK(streamdb_open(file, NULL, &db));
    REQUIRE(db);
    memset(&st, 0, sizeof st);
    CHECK_OK(streamdb_stats(db, &st));
    CHECK(st.page_size == 4096 && st.documents == 50);
    for (int i = 150; i < 200; i++) {
        snprintf(path, sizeof path, "f/%03d", i);
        memset(data, 'a' + i % 26, sizeof data);
        CHECK(read_equals(db, path, data, (size_t)(i * 25)));
    }
    CHECK_OK(streamdb_verify(db));
    CHECK_OK(streamdb_close(db));
}

TEST(open_flags_read_only_no_create_and_busy) {
    char file[512];
    scratch_file(file, sizeof file, "api-flags.sdb");
    streamdb_options o;
    streamdb_options_init(&o);
    o.flags = STREAMDB_OPEN_NO_CREATE;
    streamdb *db = NULL, *second = NULL;
    CHECK_ERROR(streamdb_open(file, &o, &db), STREAMDB_ERR_NOT_FOUND, "streamdb_open");
    CHECK(db == NULL);
    CHECK(access(file, F_OK) != 0);
    o.flags = STREAMDB_OPEN_READ_ONLY;
    CHECK_STATUS(streamdb_open(file, &o, &db), STREAMDB_ERR_NOT_FOUND);

    o.flags = STREAMDB_OPEN_NO_SYNC | STREAMDB_OPEN_QUICK;
    CHECK_OK(streamdb_open(file, &o, &db));
    REQUIRE(db);
    CHECK_OK(streamdb_write(db, LIT("ro"), LIT("data"), NULL));
    /* a second writer on the same file is refused */
    CHECK_ERROR(streamdb_open(file, NULL, &second), STREAMDB_ERR_BUSY, "streamdb_open");
    CHECK(second == NULL);
    CHECK_OK(streamdb_close(db));

    o.flags = STREAMDB_OPEN_READ_ONLY;
    CHECK_OK(streamdb_open(file, &o, &db));
    REQUIRE(db);
    CHECK(read_equals(db, "ro", "data", 4));
    CHECK_ERROR(streamdb_write(db, LIT("ro"), LIT("x"), NULL), STREAMDB_ERR_READ_ONLY, "streamdb_write");
    streamdb_batch *b = NULL;
    streamdb_writer *w = NULL;
    int batch_status = streamdb_batch_begin(db, &b);
    if (batch_status == STREAMDB_OK) {
        CHECK_OK(streamdb_batch_write(b, LIT("ro2"), LIT("x")));
        CHECK_STATUS(streamdb_batch_commit(b), STREAMDB_ERR_READ_ONLY);
    } else {
        CHECK_STATUS(batch_status, STREAMDB_ERR_READ_ONLY);
    }
    int writer_status = streamdb_writer_open(db, LIT("ro"), &w);
    if (writer_status == STREAMDB_OK) {
        CHECK_STATUS(streamdb_writer_commit(w, NULL), STREAMDB_ERR_READ_ONLY);
    } else {
        CHECK_STATUS(writer_status, STREAMDB_ERR_READ_ONLY);
    }
    CHECK(read_equals(db, "ro", "data", 4));
    CHECK_OK(streamdb_close(db));
}

TEST(compressed_databases_store_less_and_read_back_the_same_bytes) {
    char file[512];
    scratch_file(file, sizeof file, "api-compress.sdb");
    streamdb_options o;
    streamdb_options_init(&o);
    o.flags = STREAMDB_OPEN_COMPRESS;
    streamdb *db = NULL;
    CHECK_OK(streamdb_open(file, &o, &db));
    REQUIRE(db);
    /* 4 MiB of text compresses; 256 KiB of noise does not and is stored as is */
    const size_t text_len = 4u << 20, noise_len = 256u << 10;
    char *text = malloc(text_len);
    unsigned char *noise = malloc(noise_len);
    REQUIRE(text && noise);
    for (size_t i = 0; i < text_len; i++) text[i] = "the quick brown fox jumps over the lazy dog. "[i % 45];
    uint32_t x = 12345;
    for (size_t i = 0; i < noise_len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise[i] = (unsigned char)x;
    }
    CHECK_OK(streamdb_write(db, LIT("z/text"), text, text_len, NULL));
    CHECK_OK(streamdb_write(db, LIT("z/noise"), noise, noise_len, NULL));
    streamdb_writer *w = NULL;
    CHECK_OK(streamdb_writer_open(db, LIT("z/streamed"), &w));
    for (size_t off = 0; off < text_len; off += 65536) CHECK_OK(streamdb_writer_write(w, text + off, 65536));
    CHECK_OK(streamdb_writer_commit(w, NULL));
    CHECK(read_equals(db, "z/text", text, text_len));
    CHECK(read_equals(db, "z/noise", noise, noise_len));
    CHECK(read_equals(db, "z/streamed", text, text_len));
    struct streamdb_stats st;
    memset(&st, 0, sizeof st);
    CHECK_OK(streamdb_flush(db));
    CHECK_OK(streamdb_stats(db, &st));
    CHECK(st.file_bytes < text_len); /* two 4 MiB texts and the noise in less than one text */
    CHECK_OK(streamdb_verify(db));
    CHECK_OK(streamdb_close(db));

    /* without the flag the compressed documents still read back, by whole and in chunks */
    CHECK_OK(streamdb_open(file, NULL, &db));
    REQUIRE(db);
    CHECK(read_equals(db, "z/text", text, text_len));
    CHECK(read_equals(db, "z/noise", noise, noise_len));
    streamdb_reader *r = NULL;
    CHECK_OK(streamdb_reader_open(db, LIT("z/streamed"), &r));
    size_t got = 0;
    int same = 1;
    const void *chunk;
    size_t len;
    while (streamdb_reader_next(r, &chunk, &len) == STREAMDB_OK) {
        if (got + len > text_len || memcmp(chunk, text + got, len) != 0) same = 0;
        got += len;
    }
    CHECK(same && got == text_len);
    streamdb_reader_close(r);
    char window[100];
    CHECK_OK(streamdb_read_into(db, LIT("z/text"), 1000000, window, sizeof window, &len));
    CHECK(len == sizeof window && memcmp(window, text + 1000000, sizeof window) == 0);
    CHECK_OK(streamdb_verify(db));
    CHECK_OK(streamdb_close(db));
    free(text);
    free(noise);
}

TEST(quick_mode_and_flush_interval_options_are_accepted) {
    streamdb_options o;
    streamdb_options_init(&o);
    o.flush_interval_ms = 20;
    o.versions_to_keep = -1;
    o.page_cache_pages = 64;
    char file[512];
    scratch_file(file, sizeof file, "api-interval.sdb");
    streamdb *db = NULL;
    CHECK_OK(streamdb_open(file, &o, &db));
    REQUIRE(db);
    streamdb_set_quick_mode(db, 1);
    CHECK(strcmp(streamdb_errmsg(), "") == 0);
    CHECK_OK(streamdb_write(db, LIT("q"), LIT("quick"), NULL));
    CHECK(read_equals(db, "q", "quick", 5));
    streamdb_set_quick_mode(db, 0);
    CHECK(read_equals(db, "q", "quick", 5));
    CHECK_OK(streamdb_flush(db));
    CHECK_OK(streamdb_close(db));
}

TEST(errmsg_is_empty_after_success_and_set_after_failure) {
    streamdb *db = open_memory();
    REQUIRE(db);
    void *data;
    size_t len;
    CHECK(streamdb_read(db, LIT("missing"), &data, &len) == STREAMDB_ERR_NOT_FOUND);
    const char *msg = streamdb_errmsg();
    CHECK(msg != NULL && strlen(msg) > 0);
    CHECK(strstr(msg, "missing") != NULL); /* says which path */
    /* errmsg itself does not change the message */
    CHECK(strcmp(streamdb_errmsg(), msg) == 0);
    CHECK_OK(streamdb_write(db, LIT("x"), LIT("y"), NULL));
    CHECK(streamdb_errmsg() != NULL && strcmp(streamdb_errmsg(), "") == 0);
    CHECK_OK(streamdb_close(db));
}

TEST(free_buffer_accepts_null) {
    streamdb_free_buffer(NULL);
    streamdb_free_results(NULL);
    streamdb_free(NULL);
    streamdb_iter_free(NULL);
    streamdb_reader_close(NULL);
    streamdb_writer_abort(NULL);
    streamdb_batch_abort(NULL);
    streamdb_op_free(NULL);
    CHECK(strcmp(streamdb_errmsg(), "") == 0);
}

TEST(closing_a_database_releases_its_children) {
    streamdb *db = open_memory();
    REQUIRE(db);
    CHECK_OK(streamdb_write(db, LIT("c"), LIT("child"), NULL));
    streamdb_iter *it;
    streamdb_reader *r;
    streamdb_writer *w;
    streamdb_batch *b;
    streamdb_op *op;
    streamdb *snap;
    CHECK_OK(streamdb_search(db, LIT(""), &it));
    CHECK_OK(streamdb_reader_open(db, LIT("c"), &r));
    CHECK_OK(streamdb_writer_open(db, LIT("w"), &w));
    CHECK_OK(streamdb_writer_write(w, LIT("pending")));
    CHECK_OK(streamdb_batch_begin(db, &b));
    CHECK_OK(streamdb_read_async(db, LIT("c"), &op));
    CHECK_OK(streamdb_snapshot(db, &snap));
    CHECK_OK(streamdb_close(db));
    const char *p;
    size_t len;
    uint64_t size;
    CHECK_ERROR(streamdb_iter_next(it, &p, &len), STREAMDB_ERR_INVALID, "streamdb_iter_next");
    CHECK_ERROR(streamdb_reader_size(r, &size), STREAMDB_ERR_INVALID, "streamdb_reader_size");
    CHECK_ERROR(streamdb_writer_write(w, LIT("x")), STREAMDB_ERR_INVALID, "streamdb_writer_write");
    CHECK_ERROR(streamdb_batch_commit(b), STREAMDB_ERR_INVALID, "streamdb_batch_commit");
    CHECK_ERROR(streamdb_op_wait(op, 0), STREAMDB_ERR_INVALID, "streamdb_op_wait");
    CHECK_ERROR(streamdb_close(snap), STREAMDB_ERR_INVALID, "streamdb_close");
    /* freeing them afterwards is harmless */
    streamdb_iter_free(it);
    streamdb_reader_close(r);
    streamdb_writer_abort(w);
    streamdb_batch_abort(b);
    streamdb_op_free(op);
}

TEST(thousands_of_live_handles_stay_distinct_and_valid) {
    streamdb *db = open_memory();
    REQUIRE(db);
    CHECK_OK(streamdb_write(db, LIT("h"), LIT("handle"), NULL));
    enum { N = 3000 };
    static streamdb_reader *readers[N];
    static streamdb_iter *iters[N];
    for (int i = 0; i < N; i++) {
        CHECK_OK(streamdb_reader_open(db, LIT("h"), &readers[i]));
        CHECK_OK(streamdb_search(db, LIT("h"), &iters[i]));
    }
    CHECK(readers[0] != readers[N - 1] && (void *)readers[N - 1] != (void *)iters[N - 1]);
    for (int i = 0; i < N; i += 2) { /* free every other one, then reuse the slots */
        streamdb_reader_close(readers[i]);
        streamdb_iter_free(iters[i]);
    }
    for (int i = 0; i < N; i += 2) {
        streamdb_reader *stale = readers[i];
        uint64_t size;
        CHECK_STATUS(streamdb_reader_size(stale, &size), STREAMDB_ERR_INVALID);
        CHECK_OK(streamdb_reader_open(db, LIT("h"), &readers[i]));
        CHECK(readers[i] != stale);
    }
    for (int i = 0; i < N; i++) {
        uint64_t size = 0;
        CHECK_OK(streamdb_reader_size(readers[i], &size));
        CHECK(size == 6);
        streamdb_reader_close(readers[i]);
        if (i % 2) {
            const char *p;
            size_t len;
            CHECK_OK(streamdb_iter_next(iters[i], &p, &len));
            CHECK(len == 1 && p[0] == 'h');
            streamdb_iter_free(iters[i]);
        }
    }
    CHECK_OK(streamdb_close(db));
}

TEST(a_thousand_async_reads_run_at_once_and_a_running_one_can_be_freed) {
    streamdb *db = open_memory();
    REQUIRE(db);
    char path[32], expect[32];
    for (int i = 0; i < 100; i++) {
        int pl = snprintf(path, sizeof path, "a/%03d", i);
        int el = snprintf(expect, sizeof expect, "document %d", i);
        CHECK_OK(streamdb_write(db, path, (size_t)pl, expect, (size_t)el, NULL));
    }
    enum { OPS = 1000 };
    static streamdb_op *ops[OPS];
    for (int i = 0; i < OPS; i++) {
        int pl = snprintf(path, sizeof path, "a/%03d", i % 100);
        CHECK_OK(streamdb_read_async(db, path, (size_t)pl, &ops[i]));
    }
    for (int i = 0; i < OPS; i++) {
        CHECK_OK(streamdb_op_wait(ops[i], -1));
        void *data = NULL;
        size_t len = 0;
        CHECK_OK(streamdb_op_result(ops[i], &data, &len));
        int el = snprintf(expect, sizeof expect, "document %d", i % 100);
        CHECK(len == (size_t)el && data && memcmp(data, expect, len) == 0);
        free(data);
        streamdb_op_free(ops[i]);
    }
    /* a read of 32 MiB freed while it runs: cancelled, nothing leaks, the database stays usable */
    size_t big = 32u << 20;
    char *payload = malloc(big);
    REQUIRE(payload);
    memset(payload, 'x', big);
    CHECK_OK(streamdb_write(db, LIT("big"), payload, big, NULL));
    free(payload);
    for (int i = 0; i < 5; i++) {
        streamdb_op *op = NULL;
        CHECK_OK(streamdb_read_async(db, LIT("big"), &op));
        streamdb_op_free(op);
    }
    CHECK_OK(streamdb_verify(db));
    CHECK_OK(streamdb_close(db));
}

static const test_case cases[] = {
    CASE(version_matches_the_header),
    CASE(strerror_describes_every_status_and_unknown_ones),
    CASE(status_codes_have_the_contract_values),
    CASE(options_init_fills_the_documented_defaults),
    CASE(write_then_read_returns_the_same_bytes_and_id),
    CASE(read_of_a_missing_path_is_not_found_and_leaves_outputs_empty),
    CASE(read_into_copies_a_window_and_zero_past_the_end),
    CASE(read_version_reaches_kept_versions_and_not_further),
    CASE(stat_reports_size_version_paths_and_kept_versions),
    CASE(bind_unbind_list_paths_and_delete_id),
    CASE(delete_unbinds_and_deletes_the_last_path),
    CASE(search_lists_prefix_matches_in_byte_order),
    CASE(streaming_writer_and_reader_round_trip_a_large_document),
    CASE(writer_abort_leaves_nothing_visible),
    CASE(batch_commit_applies_everything_and_abort_nothing),
    CASE(async_read_is_waited_for_and_returns_a_caller_buffer),
    CASE(a_thousand_async_reads_run_at_once_and_a_running_one_can_be_freed),
    CASE(snapshot_does_not_see_later_writes_and_is_read_only),
    CASE(file_database_survives_close_and_reopen_with_stats_verify_compact),
    CASE(open_flags_read_only_no_create_and_busy),
    CASE(compressed_databases_store_less_and_read_back_the_same_bytes),
    CASE(quick_mode_and_flush_interval_options_are_accepted),
    CASE(errmsg_is_empty_after_success_and_set_after_failure),
    CASE(free_buffer_accepts_null),
    CASE(closing_a_database_releases_its_children),
    CASE(thousands_of_live_handles_stay_distinct_and_valid),
};

int main(void) { return RUN_TESTS("test_api", cases); }
