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

static const test_case cases[] = {
    CASE(first_call_installs_the_documented_signal_handlers_and_chains_segv),
};

int main(void) { return RUN_TESTS("test_runtime", cases); }
