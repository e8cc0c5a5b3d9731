/* test_threads.c: 16 pthreads (threads .NET did not create) write, read, search and stream
 * the same database at once; every result is checked, then the file is reopened and checked
 * again. Each thread owns the paths t<NN>/..., and all threads also overwrite one shared path
 * whose every version must be some thread's whole document (atomic writes). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>
#include <stdint.h>

#include "check.h"

#define THREADS 16
#define DOCS_PER_THREAD 60
#define SHARED_SIZE 20000
#define STREAM_SIZE (300 * 1024)

static streamdb *db;
static int thread_failures[THREADS];

#define T_CHECK(t, cond)                                                                     \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "  thread %d: %s:%d: %s failed; errmsg: \"%s\"\n", t, __FILE__, \
                    __LINE__, #cond, streamdb_errmsg());                                     \
            thread_failures[t]++;                                                            \
        }                                                                                    \
    } while (0)

static void fill(unsigned char *buf, size_t len, uint32_t seed) {
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
}

static size_t doc_size(int t, int i) { return (size_t)(1 + (t * 7919 + i * 104729) % 9000); }

/* The shared document of thread t: SHARED_SIZE bytes all equal to t, with t in the first byte. */
static int is_some_threads_shared_doc(const unsigned char *data, size_t len) {
    if (len != SHARED_SIZE || data[0] >= THREADS) return 0;
    for (size_t i = 1; i < len; i++)
        if (data[i] != data[0]) return 0;
    return 1;
}

static void *worker(void *arg) {
    int t = (int)(intptr_t)arg;
    char path[64], prefix[16];
    unsigned char *expected = malloc(STREAM_SIZE);
    unsigned char *shared = malloc(SHARED_SIZE);
    if (!expected || !shared) {
        thread_failures[t]++;
        free(expected);
        free(shared);
        return NULL;
    }
    memset(shared, t, SHARED_SIZE);
    snprintf(prefix, sizeof prefix, "t%02d/", t);

    for (int i = 0; i < DOCS_PER_THREAD; i++) {
        size_t size = doc_size(t, i);
        fill(expected, size, (uint32_t)(t * 1000 + i));
        snprintf(path, sizeof path, "t%02d/doc%03d", t, i);
        T_CHECK(t, streamdb_write(db, path, strlen(path), expected, size, NULL) == STREAMDB_OK);
        T_CHECK(t, strcmp(streamdb_errmsg(), "") == 0);

        /* read it back */
        void *data = NULL;
        size_t len = 0;
        T_CHECK(t, streamdb_read(db, path, strlen(path), &data, &len) == STREAMDB_OK);
        T_CHECK(t, len == size && data && memcmp(data, expected, size) == 0);
        free(data);

        /* overwrite the shared document and read it: always some thread's whole document */
        T_CHECK(t, streamdb_write(db, LIT("shared/doc"), shared, SHARED_SIZE, NULL) == STREAMDB_OK);
        data = streamdb_get(db, LIT("shared/doc"), &len);
        T_CHECK(t, data && is_some_threads_shared_doc(data, len));
        free(data);

        /* a neighbour's earlier document, if it is there yet, is intact */
        int other = (t + 1 + i) % THREADS;
        if (i > 0) {
            snprintf(path, sizeof path, "t%02d/doc%03d", other, i - 1);
            int status = streamdb_read(db, path, strlen(path), &data, &len);
            if (status == STREAMDB_OK) {
                unsigned char *theirs = malloc(doc_size(other, i - 1));
                fill(theirs, doc_size(other, i - 1), (uint32_t)(other * 1000 + i - 1));
                T_CHECK(t, len == doc_size(other, i - 1) && memcmp(data, theirs, len) == 0);
                free(theirs);
                free(data);
            } else {
                T_CHECK(t, status == STREAMDB_ERR_NOT_FOUND);
                T_CHECK(t, strlen(streamdb_errmsg()) > 0); /* this thread's own message */
            }
        }

        /* search sees exactly this thread's documents so far, in order */
        if (i % 10 == 9) {
            streamdb_iter *it = NULL;
            T_CHECK(t, streamdb_search(db, prefix, strlen(prefix), &it) == STREAMDB_OK);
            const char *p;
            size_t plen;
            int n = 0;
            while (it && streamdb_iter_next(it, &p, &plen) == STREAMDB_OK) {
                char want[64];
                snprintf(want, sizeof want, "t%02d/doc%03d", t, n);
                T_CHECK(t, plen == strlen(want) && memcmp(p, want, plen) == 0);
                n++;
            }
            T_CHECK(t, n == i + 1);
            streamdb_iter_free(it);
        }
    }

    /* stream a large document in and out */
    snprintf(path, sizeof path, "t%02d/stream", t);
    fill(expected, STREAM_SIZE, (uint32_t)(t + 77));
    streamdb_writer *w = NULL;
    T_CHECK(t, streamdb_writer_open(db, path, strlen(path), &w) == STREAMDB_OK);
    for (size_t off = 0; off < STREAM_SIZE; off += 10000) {
        size_t n = STREAM_SIZE - off < 10000 ? STREAM_SIZE - off : 10000;
        T_CHECK(t, streamdb_writer_write(w, expected + off, n) == STREAMDB_OK);
    }
    T_CHECK(t, streamdb_writer_commit(w, NULL) == STREAMDB_OK);
    streamdb_reader *r = NULL;
    T_CHECK(t, streamdb_reader_open(db, path, strlen(path), &r) == STREAMDB_OK);
    size_t got = 0;
    const void *chunk;
    size_t len;
    int intact = 1;
    while (r && streamdb_reader_next(r, &chunk, &len) == STREAMDB_OK) {
        if (got + len > STREAM_SIZE || memcmp(chunk, expected + got, len) != 0) intact = 0;
        got += len;
    }
    T_CHECK(t, intact && got == STREAM_SIZE);
    streamdb_reader_close(r);

    /* an async read and a batch from this thread too */
    streamdb_op *op = NULL;
    T_CHECK(t, streamdb_read_async(db, path, strlen(path), &op) == STREAMDB_OK);
    T_CHECK(t, streamdb_op_wait(op, -1) == STREAMDB_OK);
    void *data = NULL;
    T_CHECK(t, streamdb_op_result(op, &data, &len) == STREAMDB_OK);
    T_CHECK(t, len == STREAM_SIZE && data && memcmp(data, expected, len) == 0);
    free(data);
    streamdb_op_free(op);
    streamdb_batch *b = NULL;
    T_CHECK(t, streamdb_batch_begin(db, &b) == STREAMDB_OK);
    snprintf(path, sizeof path, "t%02d/batch", t);
    T_CHECK(t, streamdb_batch_write(b, path, strlen(path), prefix, strlen(prefix)) == STREAMDB_OK);
    T_CHECK(t, streamdb_batch_commit(b) == STREAMDB_OK);

    free(expected);
    free(shared);
    return NULL;
}

static void check_final_state(streamdb *d) {
    unsigned char *expected = malloc(STREAM_SIZE);
    REQUIRE(expected);
    char path[64];
    for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < DOCS_PER_THREAD; i++) {
            snprintf(path, sizeof path, "t%02d/doc%03d", t, i);
            size_t size = doc_size(t, i);
            fill(expected, size, (uint32_t)(t * 1000 + i));
            void *data = NULL;
            size_t len = 0;
            CHECK_OK(streamdb_read(d, path, strlen(path), &data, &len));
            CHECK(len == size && data && memcmp(data, expected, size) == 0);
            free(data);
        }
        snprintf(path, sizeof path, "t%02d/stream", t);
        uint64_t size = 0;
        streamdb_reader *r = NULL;
        CHECK_OK(streamdb_reader_open(d, path, strlen(path), &r));
        CHECK_OK(streamdb_reader_size(r, &size));
        CHECK(size == STREAM_SIZE);
        streamdb_reader_close(r);
    }
    size_t len = 0;
    void *data = streamdb_get(d, LIT("shared/doc"), &len);
    CHECK(data && is_some_threads_shared_doc(data, len));
    free(data);
    struct streamdb_stats st;
    memset(&st, 0, sizeof st);
    CHECK_OK(streamdb_stats(d, &st));
    CHECK(st.documents == THREADS * (DOCS_PER_THREAD + 2) + 1);
    CHECK_OK(streamdb_verify(d));
    free(expected);
}

TEST(sixteen_threads_share_one_database) {
    char file[512];
    scratch_file(file, sizeof file, "threads.sdb");
    streamdb_options o;
    streamdb_options_init(&o);
    o.flush_interval_ms = 10; /* group commit: 16 writers share syncs */
    CHECK_OK(streamdb_open(file, &o, &db));
    REQUIRE(db);
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++)
        REQUIRE(pthread_create(&threads[t], NULL, worker, (void *)(intptr_t)t) == 0);
    for (int t = 0; t < THREADS; t++) pthread_join(threads[t], NULL);
    for (int t = 0; t < THREADS; t++) {
        if (thread_failures[t]) fprintf(stderr, "  thread %d: %d failed checks\n", t, thread_failures[t]);
        CHECK(thread_failures[t] == 0);
    }
    check_final_state(db);
    CHECK_OK(streamdb_close(db));

    /* everything is there after reopening */
    streamdb *again = NULL;
    CHECK_OK(streamdb_open(file, NULL, &again));
    REQUIRE(again);
    check_final_state(again);
    CHECK_OK(streamdb_close(again));
}

static void *errmsg_worker(void *arg) {
    int t = (int)(intptr_t)arg;
    char path[32];
    for (int i = 0; i < 200; i++) {
        snprintf(path, sizeof path, "missing-%d-%d", t, i);
        void *data;
        size_t len;
        if (streamdb_read(db, path, strlen(path), &data, &len) != STREAMDB_ERR_NOT_FOUND ||
            strstr(streamdb_errmsg(), path) == NULL)
            thread_failures[t]++;
    }
    return NULL;
}

TEST(each_thread_has_its_own_error_message) {
    CHECK_OK(streamdb_open_memory(NULL, &db));
    REQUIRE(db);
    memset(thread_failures, 0, sizeof thread_failures);
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++)
        REQUIRE(pthread_create(&threads[t], NULL, errmsg_worker, (void *)(intptr_t)t) == 0);
    for (int t = 0; t < THREADS; t++) pthread_join(threads[t], NULL);
    for (int t = 0; t < THREADS; t++) CHECK(thread_failures[t] == 0);
    CHECK_OK(streamdb_close(db));
}

static volatile int bad_status_seen, io_status_seen;

static void *racing_worker(void *arg) {
    int t = (int)(intptr_t)arg;
    char path[32];
    for (int i = 0;; i++) {
        snprintf(path, sizeof path, "race/%d/%d", t, i % 50);
        int status = i % 3 == 0   ? streamdb_write(db, path, strlen(path), path, strlen(path), NULL)
                     : i % 3 == 1 ? streamdb_get_id(db, path, strlen(path), &(streamdb_id){{0}})
                                  : streamdb_flush(db);
        if (status == STREAMDB_ERR_INVALID) return NULL; /* the handle was closed under us */
        /* A commit that raced the close may fail with an I/O status (the engine's file is
         * closed under it): a clean failure, not a crash. Anything else is wrong. */
        if (status == STREAMDB_ERR_IO) {
            io_status_seen = 1;
            continue;
        }
        if (status != STREAMDB_OK && status != STREAMDB_ERR_NOT_FOUND) {
            fprintf(stderr, "  thread %d: status %d (%s) while the database was being closed\n", t, status,
                    streamdb_errmsg());
            bad_status_seen = 1;
            return NULL;
        }
    }
}

TEST(closing_while_other_threads_use_the_database_fails_their_calls_cleanly) {
    char file[512];
    scratch_file(file, sizeof file, "threads-race.sdb");
    streamdb_options o;
    streamdb_options_init(&o);
    o.flags = STREAMDB_OPEN_NO_SYNC;
    CHECK_OK(streamdb_open(file, &o, &db));
    REQUIRE(db);
    pthread_t threads[8];
    for (int t = 0; t < 8; t++) REQUIRE(pthread_create(&threads[t], NULL, racing_worker, (void *)(intptr_t)t) == 0);
    struct timespec pause = {0, 50 * 1000 * 1000};
    nanosleep(&pause, NULL);
    CHECK_OK(streamdb_close(db));
    for (int t = 0; t < 8; t++) pthread_join(threads[t], NULL);
    CHECK(!bad_status_seen);
    if (io_status_seen) printf("  note: calls racing the close got STREAMDB_ERR_IO from the engine\n");
    /* what was committed before the close is intact */
    CHECK_OK(streamdb_open(file, NULL, &db));
    CHECK_OK(streamdb_verify(db));
    CHECK_OK(streamdb_close(db));
}

static const test_case cases[] = {
    CASE(sixteen_threads_share_one_database),
    CASE(each_thread_has_its_own_error_message),
    CASE(closing_while_other_threads_use_the_database_fails_their_calls_cleanly),
};

int main(void) { return RUN_TESTS("test_threads", cases); }
