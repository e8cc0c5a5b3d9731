/* test_crash.c CRASH_WRITER: no committed byte is lost whatever crashes. Each round spawns
 * CRASH_WRITER (a separate executable: this process never forks with the .NET runtime live),
 * lets it write, SIGKILLs it at a random moment, reopens the file and checks that every
 * document whose write was reported as successful is present and intact, that the operation
 * in flight is all there or not at all, that nothing else appeared, and that streamdb_verify
 * passes. Seeded: STREAMDB_CRASH_SEED repeats a run; STREAMDB_CRASH_ROUNDS sets the count. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "crash_model.h"

extern char **environ;

static const char *writer_program;
static uint32_t seed;

/* idx -> last committed version (0 = never written), open addressing. The table grows: a
 * long run (STREAMDB_CRASH_ROUNDS in the hundreds) reports more documents than any fixed size
 * holds, and a full table made model_slot probe forever (300 rounds hung at round 184). */
static uint32_t *model_idx, *model_ver, *model_round;
static uint32_t model_slots;
static uint32_t current_round;
static uint32_t inflight_applied, inflight_lost; /* kills that landed inside an operation */
static uint32_t model_count;

static uint32_t model_home(uint32_t idx) { return crash_mix(idx + 1) & (model_slots - 1); }

/* Fresh, empty arrays of `slots` entries (the old ones are the caller's). */
static void model_alloc(uint32_t slots) {
    model_slots = slots;
    model_idx = calloc(slots, sizeof *model_idx);
    model_ver = calloc(slots, sizeof *model_ver);
    model_round = calloc(slots, sizeof *model_round);
    if (!model_idx || !model_ver || !model_round) {
        fprintf(stderr, "test_crash: out of memory for the model\n");
        exit(2);
    }
}

/* Empties the model, at 2^16 slots. */
static void model_reset(void) {
    free(model_idx);
    free(model_ver);
    free(model_round);
    model_alloc(1u << 16);
    model_count = 0;
}

/* Doubles the table, keeping every entry (at most half full, so probing always ends). */
static void model_grow(void) {
    uint32_t old_slots = model_slots, *old_idx = model_idx, *old_ver = model_ver, *old_round = model_round;
    if (old_slots >= (1u << 30)) {
        fprintf(stderr, "test_crash: more than 2^29 documents in the model\n");
        exit(2);
    }
    model_alloc(old_slots * 2);
    for (uint32_t k = 0; k < old_slots; k++) {
        if (old_ver[k] == 0) continue;
        uint32_t h = model_home(old_idx[k]);
        while (model_ver[h] != 0) h = (h + 1) & (model_slots - 1);
        model_idx[h] = old_idx[k];
        model_ver[h] = old_ver[k];
        model_round[h] = old_round[k];
    }
    free(old_idx);
    free(old_ver);
    free(old_round);
}

/* The version slot of idx; NULL when absent and !create. A pointer stays valid until the next
 * call with create. */
static uint32_t *model_slot(uint32_t idx, int create) {
    if (model_slots == 0) model_reset();
    if (create && 2 * (model_count + 1) > model_slots) model_grow();
    uint32_t h = model_home(idx), probes = 0;
    while (model_ver[h] != 0 && model_idx[h] != idx) {
        if (++probes == model_slots) { /* full: growth failed to keep it half empty */
            fprintf(stderr, "test_crash: the model's table is full (%u documents)\n", model_count);
            exit(2);
        }
        h = (h + 1) & (model_slots - 1);
    }
    if (model_ver[h] == 0) {
        if (!create) return NULL;
        model_idx[h] = idx;
        model_count++;
    }
    return &model_ver[h];
}

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

typedef struct {
    int n;
    uint32_t idx[3], ver[3];
} operation;

typedef struct {
    char text[1 << 16];
    size_t len;
    int ready;
    int has_pending;
    operation pending; /* "I" seen, "D" not yet */
    uint32_t completed;
} child_report;

static void apply(const operation *op) {
    for (int i = 0; i < op->n; i++) {
        uint32_t *ver = model_slot(op->idx[i], 1);
        *ver = op->ver[i];
        model_round[ver - model_ver] = current_round;
    }
}

/* Consumes whole lines; a partial line stays for the next read. */
static void parse(child_report *rep) {
    char *start = rep->text, *end = rep->text + rep->len, *nl;
    while ((nl = memchr(start, '\n', (size_t)(end - start))) != NULL) {
        *nl = '\0';
        if (start[0] == 'R') {
            rep->ready = 1;
        } else if (start[0] == 'I') {
            operation op;
            memset(&op, 0, sizeof op);
            char *p = start + 1;
            op.n = (int)strtol(p, &p, 10);
            for (int i = 0; i < op.n && i < 3; i++) {
                op.idx[i] = (uint32_t)strtoul(p, &p, 10);
                op.ver[i] = (uint32_t)strtoul(p, &p, 10);
            }
            rep->pending = op;
            rep->has_pending = 1;
        } else if (start[0] == 'D' && rep->has_pending) {
            apply(&rep->pending);
            rep->has_pending = 0;
            rep->completed++;
        }
        start = nl + 1;
    }
    rep->len = (size_t)(end - start);
    memmove(rep->text, start, rep->len);
}

static int read_some(int fd, child_report *rep, int timeout_ms) {
    struct pollfd pfd = {fd, POLLIN, 0};
    int ready = poll(&pfd, 1, timeout_ms);
    if (ready <= 0) return ready;
    ssize_t n = read(fd, rep->text + rep->len, sizeof rep->text - rep->len - 1);
    if (n <= 0) return -1; /* EOF: the child is gone */
    rep->len += (size_t)n;
    parse(rep);
    return 1;
}

static pid_t spawn_writer(const char *file, uint32_t round, int *out_fd) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    char seed_text[16], round_text[16];
    snprintf(seed_text, sizeof seed_text, "%u", seed);
    snprintf(round_text, sizeof round_text, "%u", round);
    char *argv[] = {(char *)writer_program, (char *)file, seed_text, round_text, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, writer_program, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (err != 0) {
        close(fds[0]);
        fprintf(stderr, "  posix_spawn %s: %s\n", writer_program, strerror(err));
        return -1;
    }
    *out_fd = fds[0];
    return pid;
}

/* 1 when the document holds exactly version ver, 0 when it holds something else or is absent. */
static int holds(streamdb *db, uint32_t idx, uint32_t ver, int *present) {
    char path[64];
    crash_path(path, sizeof path, idx);
    void *data = NULL;
    size_t len = 0;
    int status = streamdb_read(db, path, strlen(path), &data, &len);
    *present = status == STREAMDB_OK;
    if (status != STREAMDB_OK) {
        if (status != STREAMDB_ERR_NOT_FOUND)
            fprintf(stderr, "  read %s: %d %s\n", path, status, streamdb_errmsg());
        return 0;
    }
    size_t size = crash_size(idx, ver);
    int same = 0;
    if (len == size) {
        unsigned char *expected = malloc(size);
        crash_fill(expected, size, idx, ver);
        same = memcmp(data, expected, size) == 0;
        free(expected);
    }
    free(data);
    return same;
}

static int in_pending(const child_report *rep, uint32_t idx) {
    if (!rep->has_pending) return 0;
    for (int i = 0; i < rep->pending.n; i++)
        if (rep->pending.idx[i] == idx) return 1;
    return 0;
}

/* Checks the reopened file against the model; folds an applied in-flight operation into it.
 * A full check reads every document; the others read what this round wrote and an eighth of
 * the rest (a different eighth each round), which keeps the run short as the file grows. */
static void check_database(const char *file, child_report *rep, uint32_t round, int full) {
    streamdb *db = NULL;
    CHECK_OK(streamdb_open(file, NULL, &db));
    REQUIRE(db);
    CHECK_OK(streamdb_verify(db));

    /* the operation in flight: all of it or none of it */
    int applied = 0;
    if (rep->has_pending) {
        for (int i = 0; i < rep->pending.n; i++) {
            int present;
            applied += holds(db, rep->pending.idx[i], rep->pending.ver[i], &present);
        }
        if (applied != 0 && applied != rep->pending.n)
            fprintf(stderr, "  round %u: %d of %d documents of the batch in flight are there\n", round,
                    applied, rep->pending.n);
        CHECK(applied == 0 || applied == rep->pending.n);
    }
    for (uint32_t h = 0; h < model_slots; h++) {
        if (model_ver[h] == 0) continue;
        if (applied && in_pending(rep, model_idx[h])) continue;
        if (!full && model_round[h] != round && crash_mix(model_idx[h] ^ round) % 8 != 0) continue;
        int present;
        if (!holds(db, model_idx[h], model_ver[h], &present)) {
            fprintf(stderr, "  round %u: document %u version %u is %s\n", round, model_idx[h], model_ver[h],
                    present ? "damaged or another version" : "missing");
            check_failures_in_test++;
        }
    }
    if (rep->has_pending) {
        if (applied) inflight_applied++;
        else inflight_lost++;
    }
    if (applied) apply(&rep->pending);
    /* in-flight single writes of new documents not applied must be absent */
    if (rep->has_pending && !applied) {
        for (int i = 0; i < rep->pending.n; i++) {
            if (model_slot(rep->pending.idx[i], 0) != NULL) continue;
            int present;
            holds(db, rep->pending.idx[i], rep->pending.ver[i], &present);
            CHECK(!present);
        }
    }
    /* nothing else appeared */
    struct streamdb_stats st;
    memset(&st, 0, sizeof st);
    CHECK_OK(streamdb_stats(db, &st));
    if (st.documents != model_count)
        fprintf(stderr, "  round %u: %llu documents in the file, %u expected\n", round,
                (unsigned long long)st.documents, model_count);
    CHECK(st.documents == model_count);
    CHECK_OK(streamdb_close(db));
}

TEST(killed_writers_lose_no_reported_document) {
    char file[512];
    scratch_file(file, sizeof file, "crash.sdb");
    const char *rounds_env = getenv("STREAMDB_CRASH_ROUNDS");
    uint32_t rounds = rounds_env ? (uint32_t)atoi(rounds_env) : 40;
    uint32_t rng = crash_mix(seed) | 1u;
    uint32_t total_reported = 0, killed_early = 0;
    uint64_t started = now_ms();
    model_reset();
    for (uint32_t round = 0; round < rounds; round++) {
        static child_report rep;
        memset(&rep, 0, sizeof rep);
        current_round = round;
        int fd = -1;
        pid_t pid = spawn_writer(file, round, &fd);
        REQUIRE(pid > 0);
        rng = crash_mix(rng + round);
        int early = rng % 8 == 0; /* sometimes kill during start-up, open or recovery */
        uint64_t deadline = now_ms() + (early ? rng % 40 : 30 + rng % 400);
        uint64_t ready_by = now_ms() + 30000;
        while (!early && !rep.ready && now_ms() < ready_by)
            if (read_some(fd, &rep, 100) < 0) break;
        if (!early && rep.ready) deadline = now_ms() + 30 + (rng >> 8) % 400;
        while (now_ms() < deadline)
            if (read_some(fd, &rep, (int)(deadline - now_ms()) + 1) < 0) break;
        int status = 0;
        if (kill(pid, SIGKILL) != 0 && errno != ESRCH) check_failures_in_test++;
        waitpid(pid, &status, 0);
        while (read_some(fd, &rep, 1000) > 0) {
        }
        close(fd);
        if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
            fprintf(stderr, "  round %u: the writer ended by itself (status 0x%x) before the kill\n", round, status);
            check_failures_in_test++;
        }
        if (!rep.ready) killed_early++;
        total_reported += rep.completed;
        check_database(file, &rep, round, round % 5 == 4 || round + 1 == rounds);
        if (check_failures_in_test) {
            fprintf(stderr, "  failed in round %u; repeat with STREAMDB_CRASH_SEED=%u\n", round, seed);
            return;
        }
    }
    printf("  %u rounds, %u reported operations checked, %u documents, %u kills before open finished,\n"
           "  %u kills inside an operation (%u found committed, %u not), %.1f s\n",
           rounds, total_reported, model_count, killed_early, inflight_applied + inflight_lost, inflight_applied,
           inflight_lost, (double)(now_ms() - started) / 1000.0);
    CHECK(total_reported > rounds); /* the rounds did write something */
}

TEST(a_second_process_gets_busy_while_a_writer_holds_the_file) {
    char file[512];
    scratch_file(file, sizeof file, "crash-busy.sdb");
    static child_report rep;
    memset(&rep, 0, sizeof rep);
    model_reset();
    int fd = -1;
    pid_t pid = spawn_writer(file, 0, &fd);
    REQUIRE(pid > 0);
    uint64_t ready_by = now_ms() + 30000;
    while (!rep.ready && now_ms() < ready_by)
        if (read_some(fd, &rep, 100) < 0) break;
    CHECK(rep.ready);
    streamdb *db = NULL;
    CHECK_ERROR(streamdb_open(file, NULL, &db), STREAMDB_ERR_BUSY, "streamdb_open");
    CHECK(db == NULL);
    streamdb_options o;
    streamdb_options_init(&o);
    o.flags = STREAMDB_OPEN_READ_ONLY;
    CHECK_ERROR(streamdb_open(file, &o, &db), STREAMDB_ERR_BUSY, "streamdb_open");
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(fd);
    /* the lock dies with its process */
    CHECK_OK(streamdb_open(file, NULL, &db));
    if (db) CHECK_OK(streamdb_close(db));
}

/* Regression: the model was a fixed table of 2^16 slots, and a long run that reported more
 * documents hung in model_slot instead of failing or going on. */
TEST(the_model_keeps_every_document_past_its_first_table) {
    model_reset();
    const uint32_t n = 200000;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t *ver = model_slot(i * 7919u, 1);
        *ver = i + 1;
        model_round[ver - model_ver] = i % 40;
    }
    CHECK(model_count == n);
    CHECK(model_slots >= 2 * n);
    uint32_t wrong = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t *ver = model_slot(i * 7919u, 0);
        if (ver == NULL || *ver != i + 1 || model_round[ver - model_ver] != i % 40) wrong++;
    }
    CHECK(wrong == 0);
    CHECK(model_slot(n * 7919u, 0) == NULL);
    model_reset();
    CHECK(model_count == 0);
    CHECK(model_slot(7919u, 0) == NULL);
}

static const test_case cases[] = {
    CASE(the_model_keeps_every_document_past_its_first_table),
    CASE(killed_writers_lose_no_reported_document),
    CASE(a_second_process_gets_busy_while_a_writer_holds_the_file),
};

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_crash CRASH_WRITER\n");
        return 2;
    }
    writer_program = argv[1];
    const char *seed_env = getenv("STREAMDB_CRASH_SEED");
    seed = seed_env ? (uint32_t)strtoul(seed_env, NULL, 10) : (uint32_t)time(NULL) ^ (uint32_t)getpid();
    printf("test_crash: seed %u (repeat with STREAMDB_CRASH_SEED=%u)\n", seed, seed);
    fflush(stdout);
    return RUN_TESTS("test_crash", cases);
}
