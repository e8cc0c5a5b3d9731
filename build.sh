#!/usr/bin/env bash
# StreamDb build driver.
#   ./build.sh          restore, build, publish libstreamdb.so + streamdb.h into artifacts/, run the C quickstart
#   ./build.sh test     everything above, then every test suite in the repository
#   ./build.sh bench    the engine benchmark and the side-by-side comparison (bench/)
# Installs missing Debian packages itself when run as root; otherwise says what to install.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export STREAMDB_ARTIFACTS="$ROOT/artifacts"
export STREAMDB_LIBRARY="$STREAMDB_ARTIFACTS/lib/libstreamdb.so"
CONFIG=${CONFIG:-Release}
mode=${1:-build}

say() { printf '\n== %s\n' "$*"; }

# need_pkg CHECK-COMMAND PACKAGE...: install Debian packages when CHECK-COMMAND fails.
apt_updated=0
need_pkg() {
    local check=$1; shift
    if bash -c "$check" >/dev/null 2>&1; then return 0; fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "build.sh: missing $*; install with: sudo apt-get install -y $*" >&2
        return 1
    fi
    if [ $apt_updated -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
        apt_updated=1
    fi
    say "installing $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

need_dotnet() {
    command -v dotnet >/dev/null || { echo "build.sh: the .NET SDK (10.x) is required: https://dotnet.microsoft.com/download" >&2; exit 1; }
}

build_managed() {
    need_dotnet
    say "dotnet build ($CONFIG)"
    dotnet build StreamDb.Native.sln -c "$CONFIG" -v quiet -nologo
}

publish_native() {
    if [ -d src/StreamDb.Native ]; then
        need_pkg "command -v clang || command -v gcc" gcc
        say "publishing libstreamdb.so (NativeAOT)"
        mkdir -p "$STREAMDB_ARTIFACTS/lib" "$STREAMDB_ARTIFACTS/include"
        dotnet publish src/StreamDb.Native/StreamDb.Native.csproj -c "$CONFIG" -r linux-x64 \
            -o "$STREAMDB_ARTIFACTS/publish" -v quiet -nologo
        cp "$STREAMDB_ARTIFACTS/publish/libstreamdb.so" "$STREAMDB_ARTIFACTS/lib/"
        if [ -d src/StreamDb.HeaderGen ]; then
            say "generating include/streamdb.h and checking the committed one"
            dotnet run --project src/StreamDb.HeaderGen -c "$CONFIG" -v quiet -- \
                --assembly "src/StreamDb.Native/bin/$CONFIG/$(sed -n 's:.*<StreamDbTargetFramework>\(.*\)</StreamDbTargetFramework>.*:\1:p' Directory.Build.props)/linux-x64/libstreamdb.dll" \
                --out "$STREAMDB_ARTIFACTS/include/streamdb.h"
            if ! cmp -s "$STREAMDB_ARTIFACTS/include/streamdb.h" include/streamdb.h; then
                echo "build.sh: include/streamdb.h is stale; the generated header is $STREAMDB_ARTIFACTS/include/streamdb.h" >&2
                echo "          (copy it over include/streamdb.h and commit it)" >&2
                diff -u include/streamdb.h "$STREAMDB_ARTIFACTS/include/streamdb.h" | head -40 >&2 || true
                exit 1
            fi
        else
            cp include/streamdb.h "$STREAMDB_ARTIFACTS/include/" 2>/dev/null || true
        fi
        for f in bindings/c/streamdb.hpp; do [ -f "$f" ] && cp "$f" "$STREAMDB_ARTIFACTS/include/"; done
        if [ -x bindings/c/install-artifacts.sh ]; then bindings/c/install-artifacts.sh "$STREAMDB_ARTIFACTS"; fi
    fi
    if [ -d src/StreamDb.Cli ]; then
        need_pkg "command -v clang || command -v gcc" gcc
        say "publishing the streamdb command-line tool (NativeAOT)"
        dotnet publish src/StreamDb.Cli/StreamDb.Cli.csproj -c "$CONFIG" -r linux-x64 \
            -o "$STREAMDB_ARTIFACTS/cli" -v quiet -nologo
        mkdir -p "$STREAMDB_ARTIFACTS/bin"
        cp "$STREAMDB_ARTIFACTS/cli/streamdb" "$STREAMDB_ARTIFACTS/bin/"
    fi
}

run_samples() {
    if [ -f samples/c/quickstart.c ] && [ -f "$STREAMDB_LIBRARY" ]; then
        say "samples/c/quickstart.c"
        mkdir -p "$STREAMDB_ARTIFACTS/samples"
        cc -std=c99 -Wall -O2 -I "$STREAMDB_ARTIFACTS/include" samples/c/quickstart.c \
            -L "$STREAMDB_ARTIFACTS/lib" -lstreamdb -Wl,-rpath,"$STREAMDB_ARTIFACTS/lib" \
            -o "$STREAMDB_ARTIFACTS/samples/quickstart"
        # in a scratch directory of its own (it writes quickstart.sdb there), removed afterwards
        local scratch status=0
        scratch=$(mktemp -d)
        (cd "$scratch" && "$STREAMDB_ARTIFACTS/samples/quickstart") || status=$?
        rm -rf "$scratch"
        return $status
    elif [ -d samples/demo ]; then
        say "engine demo"
        dotnet run --project samples/demo -c "$CONFIG" -v quiet
    fi
}

failed=()
suite() { # suite NAME COMMAND...: run one test suite, remember failures, keep going
    local name=$1; shift
    say "test suite: $name"
    if "$@"; then echo "[suite $name: passed]"; else echo "[suite $name: FAILED]"; failed+=("$name"); fi
}

run_tests() {
    need_pkg "test -e /usr/lib/x86_64-linux-gnu/libsnappy.so.1" libsnappy1v5 libsnappy-dev || true
    suite xunit dotnet test StreamDb.Native.sln -c "$CONFIG" --no-build -v quiet -nologo \
        --logger "console;verbosity=minimal"
    # Each further suite lives beside its code and is run only when present.
    [ -x tests/c/run.sh ]                 && suite c tests/c/run.sh
    [ -x bindings/python/run-tests.sh ]   && suite python bindings/python/run-tests.sh
    [ -x bindings/lisp/run-tests.sh ]     && suite lisp bindings/lisp/run-tests.sh
    [ -x tests/cli/run.sh ]               && suite cli tests/cli/run.sh
    [ -x samples/run.sh ]                 && suite samples samples/run.sh
    if [ ${#failed[@]} -ne 0 ]; then
        echo; echo "FAILED suites: ${failed[*]}"; return 1
    fi
    echo; echo "all suites passed"
}

case "$mode" in
    build) build_managed; publish_native; run_samples ;;
    test)  build_managed; publish_native; run_tests ;;
    bench)
        build_managed; publish_native
        say "engine benchmark"
        dotnet run --project bench/StreamDb.Bench -c Release -v quiet -- "${@:2}"
        [ -x bench/compare/run.sh ] && bench/compare/run.sh
        ;;
    *) echo "usage: ./build.sh [test|bench]" >&2; exit 2 ;;
esac
