#!/usr/bin/env bash
# install-artifacts.sh ARTIFACTS_DIR: makes the built tree usable from C and C++:
#   ARTIFACTS_DIR/lib/pkgconfig/streamdb.pc        (pkg-config --cflags --libs streamdb)
#   ARTIFACTS_DIR/lib/cmake/StreamDb/*.cmake        (find_package(StreamDb) -> StreamDb::streamdb)
#   ARTIFACTS_DIR/include/streamdb.hpp              (C++17 RAII wrapper)
#   ARTIFACTS_DIR/lib/libstreamdb.so.dbg            (debug symbols, from ARTIFACTS_DIR/publish)
# build.sh calls it after publishing libstreamdb.so and streamdb.h into ARTIFACTS_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: $0 ARTIFACTS_DIR" >&2; exit 2; }
mkdir -p "$1"
prefix=$(cd "$1" && pwd)
header="$prefix/include/streamdb.h"
[ -f "$header" ] || header="$here/../../include/streamdb.h"
version=$(sed -n 's/^#define STREAMDB_VERSION_STRING *"\(.*\)".*/\1/p' "$header")
[ -n "$version" ] || { echo "install-artifacts.sh: no STREAMDB_VERSION_STRING in $header" >&2; exit 1; }

mkdir -p "$prefix/lib/pkgconfig" "$prefix/lib/cmake/StreamDb" "$prefix/include"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" "$here/streamdb.pc.in" > "$prefix/lib/pkgconfig/streamdb.pc"
cp "$here/StreamDbConfig.cmake" "$prefix/lib/cmake/StreamDb/"
sed -e "s|@VERSION@|$version|" "$here/StreamDbConfigVersion.cmake.in" > "$prefix/lib/cmake/StreamDb/StreamDbConfigVersion.cmake"
cp "$here/streamdb.hpp" "$prefix/include/"
# The library's debug symbols beside it (gdb, perf, sanitizers find them by .gnu_debuglink).
[ -f "$prefix/publish/libstreamdb.so.dbg" ] && cp "$prefix/publish/libstreamdb.so.dbg" "$prefix/lib/"
echo "install-artifacts.sh: pkg-config and CMake files for streamdb $version under $prefix/lib"
