#!/usr/bin/env bash
# tests/c/run.sh: builds the C tests with gcc + AddressSanitizer against the artifacts tree
# (STREAMDB_ARTIFACTS, default ./artifacts from ./build.sh) and runs them with CTest.
# Exits non-zero when any test fails; prints "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
artifacts=${STREAMDB_ARTIFACTS:-$root/artifacts}

need() { # need COMMAND PACKAGE: install the Debian package when root, else say what is missing
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" -ne 0 ]; then echo "tests/c: $1 is missing; install with: sudo apt-get install -y $2" >&2; exit 1; fi
    if [ -z "${apt_updated:-}" ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need gcc gcc
need g++ g++
need cmake cmake
need pkg-config pkg-config
need nm binutils
# libasan comes with gcc on Debian; check it links
echo 'int main(void){return 0;}' | gcc -fsanitize=address -x c - -o /dev/null 2>/dev/null || need_asan=1
if [ -n "${need_asan:-}" ]; then
    ver=$(gcc -dumpversion | cut -d. -f1)
    if [ "$(id -u)" -eq 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "libasan$ver" >/dev/null || true; fi
fi

if [ ! -f "$artifacts/lib/libstreamdb.so" ] || [ ! -f "$artifacts/lib/cmake/StreamDb/StreamDbConfig.cmake" ]; then
    echo "tests/c: $artifacts has no libstreamdb.so or CMake config; run ./build.sh first" >&2
    exit 1
fi

build="$artifacts/tests-c"
rm -rf "$build"
export CC=gcc CXX=g++
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_PREFIX_PATH="$artifacts" >"$build.cmake.log" 2>&1 \
    || { cat "$build.cmake.log"; echo "0 passed, 1 failed"; exit 1; }
cmake --build "$build" -j 2 >"$build.build.log" 2>&1 \
    || { cat "$build.build.log"; echo "0 passed, 1 failed"; exit 1; }
cd "$build" && ctest --output-on-failure 2>&1 | tee "$build.ctest.log"
status=${PIPESTATUS[0]}
passed=$(grep -cE 'Test +#[0-9]+: .*Passed' "$build.ctest.log" || true)
failed=$(grep -cE 'Test +#[0-9]+: .*(Failed|Exception|Timeout|Not Run)' "$build.ctest.log" || true)
echo "tests/c: $passed passed, $failed failed"
exit $status
