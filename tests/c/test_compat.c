/* test_compat.c: the compat functions used exactly as the D-LISP CFFI layer uses them:
 * streamdb_init(path, 5000), streamdb_insert returning 0, streamdb_get with a size pointer then
 * free(), streamdb_delete, streamdb_prefix_search walked as a linked list then
 * streamdb_free_results, streamdb_flush, streamdb_set_quick_mode, streamdb_free. */
#include "check.h"

TEST(dlisp_session_round_trip) {
    char file[512];
    scratch_file(file, sizeof file, "compat-dlisp.sdb");
    streamdb *db = streamdb_init(file, 5000);
    REQUIRE(db != NULL);

    CHECK(streamdb_insert(db, "user/alice", 10, "{\"age\":30}", 10) == 0);
    CHECK(streamdb_insert(db, "user/bob", 8, "{\"age\":41}", 10) == 0);
    CHECK(streamdb_insert(db, "user/carol", 10, "", 0) == 0);
    CHECK(streamdb_insert(db, "group/admins", 12, "alice", 5) == 0);
    CHECK(streamdb_insert(db, "user/alice", 10, "{\"age\":31}", 10) == 0); /* overwrite */

    size_t size = 12345;
    char *value = streamdb_get(db, "user/alice", 10, &size);
    CHECK(value != NULL && size == 10 && memcmp(value, "{\"age\":31}", 10) == 0);
    free(value);

    size = 12345;
    value = streamdb_get(db, "user/carol", 10, &size);
    CHECK(value != NULL && size == 0); /* an empty document is not "missing" */
    free(value);

    size = 12345;
    value = streamdb_get(db, "user/nobody", 11, &size);
    CHECK(value == NULL && size == 0);
    CHECK(strlen(streamdb_errmsg()) > 0);

    /* prefix search walked as a list */
    streamdb_result *results = streamdb_prefix_search(db, "user/", 5);
    REQUIRE(results != NULL);
    const char *keys[] = {"user/alice", "user/bob", "user/carol"};
    const char *values[] = {"{\"age\":31}", "{\"age\":41}", ""};
    int n = 0;
    for (streamdb_result *r = results; r != NULL; r = r->next, n++) {
        if (n >= 3) break;
        CHECK(strcmp(r->key, keys[n]) == 0);
        CHECK(r->key_len == strlen(keys[n]));
        CHECK(r->key[r->key_len] == '\0');
        CHECK(r->value != NULL);
        CHECK(r->value_size == strlen(values[n]) && memcmp(r->value, values[n], r->value_size) == 0);
    }
    CHECK(n == 3);
    streamdb_free_results(results);

    CHECK(streamdb_prefix_search(db, "nothing/", 8) == NULL);
    CHECK(strcmp(streamdb_errmsg(), "") == 0); /* no match is not an error */

    CHECK(streamdb_delete(db, "user/bob", 8) == 0);
    CHECK(streamdb_get(db, "user/bob", 8, &size) == NULL);
    CHECK(streamdb_delete(db, "user/bob", 8) == STREAMDB_ERR_NOT_FOUND);

    CHECK(streamdb_flush(db) == 0);
    streamdb_set_quick_mode(db, 1);
    value = streamdb_get(db, "group/admins", 12, &size);
    CHECK(value != NULL && size == 5 && memcmp(value, "alice", 5) == 0);
    free(value);
    streamdb_set_quick_mode(db, 0);
    streamdb_free(db);

    /* everything flushed survives: reopen the way D-LISP does */
    db = streamdb_init(file, 5000);
    REQUIRE(db != NULL);
    value = streamdb_get(db, "user/alice", 10, &size);
    CHECK(value != NULL && size == 10 && memcmp(value, "{\"age\":31}", 10) == 0);
    free(value);
    results = streamdb_prefix_search(db, "", 0);
    n = 0;
    for (streamdb_result *r = results; r != NULL; r = r->next) n++;
    CHECK(n == 3);
    streamdb_free_results(results);
    streamdb_free(db);
}

TEST(close_makes_writes_durable_even_with_a_flush_interval) {
    char file[512];
    scratch_file(file, sizeof file, "compat-interval.sdb");
    streamdb *db = streamdb_init(file, 5000);
    REQUIRE(db != NULL);
    char key[32];
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "k/%03d", i);
        CHECK(streamdb_insert(db, key, strlen(key), key, strlen(key)) == 0);
    }
    streamdb_free(db); /* no explicit flush */
    db = streamdb_init(file, 5000);
    REQUIRE(db != NULL);
    for (int i = 0; i < 100; i++) {
        size_t size = 0;
        snprintf(key, sizeof key, "k/%03d", i);
        char *value = streamdb_get(db, key, strlen(key), &size);
        CHECK(value != NULL && size == strlen(key) && memcmp(value, key, size) == 0);
        free(value);
    }
    streamdb_free(db);
}

TEST(compat_failures_return_null_with_a_message) {
    CHECK(streamdb_init(NULL, 5000) == NULL);
    CHECK(strstr(streamdb_errmsg(), "streamdb_init") != NULL);
    CHECK(streamdb_init("", 5000) == NULL);
    CHECK(strlen(streamdb_errmsg()) > 0);
    char file[512];
    scratch_file(file, sizeof file, "compat-negative.sdb");
    CHECK(streamdb_init(file, -1) == NULL);
    CHECK(strstr(streamdb_errmsg(), "flush_interval_ms") != NULL);
    CHECK(streamdb_init("/nonexistent-dir/sub/x.sdb", 5000) == NULL);
    CHECK(strlen(streamdb_errmsg()) > 0);

    size_t size = 7;
    CHECK(streamdb_get(NULL, "k", 1, &size) == NULL && size == 0);
    CHECK(strstr(streamdb_errmsg(), "db is NULL") != NULL);
    CHECK(streamdb_prefix_search(NULL, "k", 1) == NULL);
    CHECK(strstr(streamdb_errmsg(), "streamdb_prefix_search") != NULL);
    CHECK(streamdb_insert(NULL, "k", 1, "v", 1) == STREAMDB_ERR_INVALID);
    streamdb_set_quick_mode(NULL, 1);
    CHECK(strstr(streamdb_errmsg(), "streamdb_set_quick_mode") != NULL);
    streamdb_free((streamdb *)(uintptr_t)0x1234);
    CHECK(strstr(streamdb_errmsg(), "streamdb_free") != NULL);
}

static const test_case cases[] = {
    CASE(dlisp_session_round_trip),
    CASE(close_makes_writes_durable_even_with_a_flush_interval),
    CASE(compat_failures_return_null_with_a_message),
};

int main(void) { return RUN_TESTS("test_compat", cases); }
