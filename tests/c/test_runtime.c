/* test_runtime.c: what the header's caveats say about the process is true. Built without
 * AddressSanitizer, whose own signal handlers would hide the runtime's. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <signal.h>

#include "check.h"

static sigjmp_buf recover;
static volatile sig_atomic_t host_handler_ran;

static void host_segv_handler(int sig) {
    (void)sig;
    host_handler_ran = 1;
    siglongjmp(recover, 1);
}

static int handler_installed(int sig) {
    struct sigaction sa;
    sigaction(sig, NULL, &sa);
    return (sa.sa_flags & SA_SIGINFO) ? sa.sa_sigaction != NULL
                                      : sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN;
}

static int ignored(int sig) {
    struct sigaction sa;
    sigaction(sig, NULL, &sa);
    return !(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == SIG_IGN;
}

TEST(first_call_installs_the_documented_signal_handlers_and_chains_segv) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = host_segv_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_NODEFER;
    REQUIRE(sigaction(SIGSEGV, &sa, NULL) == 0);
    CHECK(!ignored(SIGPIPE));
    CHECK(!handler_installed(SIGRTMIN));

    streamdb *db = NULL;
    CHECK_OK(streamdb_open_memory(NULL, &db)); /* the runtime starts here */
    CHECK(handler_installed(SIGSEGV));
    CHECK(handler_installed(SIGFPE));
    CHECK(handler_installed(SIGRTMIN));
    CHECK(ignored(SIGPIPE));

    /* a fault in host code reaches the handler the host installed before the runtime */
    if (sigsetjmp(recover, 1) == 0) {
        volatile int *nowhere = (volatile int *)(void *)16;
        *nowhere = 1;
    }
    CHECK(host_handler_ran);

    /* and the library still works afterwards */
    CHECK_OK(streamdb_write(db, LIT("after"), LIT("fault"), NULL));
    CHECK_OK(streamdb_close(db));
}

/* Loaded anywhere in the process (file-backed mappings in /proc/self/maps). */
static int mapped(const char *library) {
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps) return -1;
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, maps)) found = strstr(line, library) != NULL;
    fclose(maps);
    return found;
}

/* A regression: the engine seeded its write ids from RandomNumberGenerator, whose first use
 * dlopen'ed libssl and initialised OpenSSL (about 2 ms of every open), and whose open failed on
 * a host without libssl. The library needs only libc and libm. */
TEST(opening_writing_and_reading_a_file_database_never_loads_openssl) {
    char file[512];
    scratch_file(file, sizeof file, "runtime-no-openssl.sdb");
    streamdb_options opts;
    streamdb_options_init(&opts);
    opts.flags |= STREAMDB_OPEN_COMPRESS;
    streamdb *db = NULL;
    CHECK_OK(streamdb_open(file, &opts, &db));
    CHECK_OK(streamdb_write(db, LIT("/a"), LIT("one"), NULL));
    streamdb_batch *b = NULL;
    CHECK_OK(streamdb_batch_begin(db, &b));
    CHECK_OK(streamdb_batch_write(b, LIT("/b"), LIT("two")));
    CHECK_OK(streamdb_batch_commit(b));
    void *data = NULL;
    size_t len = 0;
    CHECK_OK(streamdb_read(db, LIT("/b"), &data, &len));
    streamdb_free_buffer(data);
    streamdb_op *op = NULL;
    CHECK_OK(streamdb_read_async(db, LIT("/a"), &op));
    CHECK_OK(streamdb_op_wait(op, -1));
    CHECK_OK(streamdb_op_result(op, &data, &len));
    streamdb_free_buffer(data);
    streamdb_op_free(op);
    CHECK_OK(streamdb_close(db));
    CHECK_OK(streamdb_open(file, &opts, &db)); /* and the reopen that loads it */
    CHECK_OK(streamdb_close(db));
    remove(file);
    CHECK(mapped("libstreamdb") == 1); /* the check can see a library that is loaded */
    CHECK(mapped("libssl") == 0);
    CHECK(mapped("libcrypto") == 0);
}

static const test_case cases[] = {
    CASE(first_call_installs_the_documented_signal_handlers_and_chains_segv),
    CASE(opening_writing_and_reading_a_file_database_never_loads_openssl),
};

int main(void) { return RUN_TESTS("test_runtime", cases); }
