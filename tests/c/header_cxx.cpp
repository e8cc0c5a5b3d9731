// header_cxx.cpp: include/streamdb.h and bindings/c/streamdb.hpp compile as C++17 with every
// warning an error, with C linkage for the declarations.
#include "streamdb.h"
#include "streamdb.h" // the include guard works
#include "streamdb.hpp"

#include <type_traits>

static_assert(std::is_same_v<decltype(&streamdb_write),
                             int (*)(streamdb *, const char *, size_t, const void *, size_t, streamdb_id *)>);
static_assert(std::is_same_v<decltype(&streamdb_stats), int (*)(streamdb *, struct streamdb_stats *)>);
static_assert(sizeof(streamdb_options) == 40);
static_assert(std::is_standard_layout_v<streamdb_result>);

extern "C" int header_cxx_c_linkage(void) { return STREAMDB_OK; }
int header_cxx_uses_wrapper();
int header_cxx_uses_wrapper() {
    StreamDb::Error e(STREAMDB_ERR_INVALID, "x");
    return e.status();
}
