// test_hpp.cpp: the C++ RAII wrapper (bindings/c/streamdb.hpp) works and reports failures
// as StreamDb::Error carrying the status.
#include "streamdb.hpp"

#include <cstdio>
#include <string>

static int failures = 0, passed = 0;
#define EXPECT(cond)                                                                 \
    do {                                                                             \
        if (!(cond)) {                                                               \
            std::fprintf(stderr, "  %s:%d: EXPECT(%s) failed\n", __FILE__, __LINE__, #cond); \
            failures++;                                                              \
        }                                                                            \
    } while (0)

template <typename F>
static int status_of(F f) {
    try {
        f();
    } catch (const StreamDb::Error &e) {
        return e.status();
    }
    return STREAMDB_OK;
}

static void round_trip_through_every_wrapper_class() {
    auto db = StreamDb::Database::memory();
    streamdb_id id = db.write("cpp/a", "alpha");
    db.write("cpp/b", "beta");
    EXPECT(db.read_string("cpp/a") == "alpha");
    EXPECT(db.exists("cpp/b") && !db.exists("cpp/zzz"));
    db.bind(id, "cpp/alias");
    EXPECT(db.paths(id).collect().size() == 2);
    EXPECT(db.stat("cpp/a").path_count == 2);
    auto all = db.search("cpp/").collect();
    EXPECT(all.size() == 3 && all[0] == "cpp/a" && all[1] == "cpp/alias" && all[2] == "cpp/b");
    {
        auto w = db.writer("cpp/stream");
        for (int i = 0; i < 1000; i++) w.write("0123456789");
        w.commit();
    }
    {
        auto w = db.writer("cpp/aborted");
        w.write("never visible"); // destructor aborts
    }
    EXPECT(!db.exists("cpp/aborted"));
    auto r = db.reader("cpp/stream");
    EXPECT(r.size() == 10000);
    std::string text;
    while (auto chunk = r.next()) text += *chunk;
    EXPECT(text.size() == 10000 && text.compare(0, 10, "0123456789") == 0);
    auto b = db.batch();
    b.write("cpp/c", "gamma");
    b.remove("cpp/b");
    b.commit();
    EXPECT(db.exists("cpp/c") && !db.exists("cpp/b"));
    auto snap = db.snapshot();
    db.write("cpp/a", "alpha 2");
    EXPECT(snap.read_string("cpp/a") == "alpha");
    auto previous = db.read("cpp/a", 1);
    EXPECT(std::string(previous.begin(), previous.end()) == "alpha");
    db.remove(id);
    EXPECT(!db.exists("cpp/alias"));
    db.flush();
    db.verify();
    EXPECT(db.stats().documents == 2); // cpp/stream and cpp/c
    snap.close();
    db.close();
}

static void failures_throw_errors_with_the_status() {
    auto db = StreamDb::Database::memory();
    EXPECT(status_of([&] { db.read_string("missing"); }) == STREAMDB_ERR_NOT_FOUND);
    EXPECT(status_of([&] { db.write(std::string_view("\xff", 1), "x"); }) == STREAMDB_ERR_INVALID);
    EXPECT(status_of([&] { db.snapshot().write("x", "y"); }) == STREAMDB_ERR_READ_ONLY);
    try {
        db.remove("missing");
        failures++;
    } catch (const StreamDb::Error &e) {
        EXPECT(std::string(e.what()).find("missing") != std::string::npos);
    }
    streamdb_options o;
    streamdb_options_init(&o);
    o.struct_size = 0;
    EXPECT(status_of([&] { StreamDb::Database::memory(&o); }) == STREAMDB_ERR_INVALID);
}

int main() {
    void (*tests[])() = {round_trip_through_every_wrapper_class, failures_throw_errors_with_the_status};
    const char *names[] = {"round_trip_through_every_wrapper_class", "failures_throw_errors_with_the_status"};
    int failed_tests = 0;
    for (int i = 0; i < 2; i++) {
        int before = failures;
        try {
            tests[i]();
        } catch (const std::exception &e) {
            std::fprintf(stderr, "  unexpected exception: %s\n", e.what());
            failures++;
        }
        bool ok = failures == before;
        std::printf("%s %s\n", ok ? "ok  " : "FAIL", names[i]);
        ok ? passed++ : failed_tests++;
    }
    std::printf("test_hpp: %d passed, %d failed\n", passed, failed_tests);
    return failed_tests == 0 ? 0 : 1;
}
