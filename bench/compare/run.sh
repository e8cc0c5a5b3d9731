#!/usr/bin/env bash
# Builds bench/compare against $STREAMDB_ARTIFACTS (default: the repository's artifacts/) and
# runs it; every argument is passed through (e.g. --quick, --dir /data/tmp; see --help).
# The table is also saved to $STREAMDB_ARTIFACTS/bench/compare/last-run.md.
set -euo pipefail
cd "$(dirname "$0")"
ART=${STREAMDB_ARTIFACTS:-$(cd ../.. && pwd)/artifacts}

apt_updated=0
need_pkg() { # need_pkg CHECK-FILE PACKAGE: install a Debian package when the file is missing
    [ -e "$1" ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "bench/compare: missing $2; install with: sudo apt-get install -y $2" >&2
        exit 1
    fi
    if [ $apt_updated -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
        apt_updated=1
    fi
    echo "bench/compare: installing $2" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need_pkg /usr/include/lmdb.h liblmdb-dev
need_pkg /usr/include/sqlite3.h libsqlite3-dev
command -v make >/dev/null || need_pkg /usr/bin/make make
command -v cc >/dev/null || need_pkg /usr/bin/gcc gcc

if [ ! -f "$ART/lib/libstreamdb.so" ] || [ ! -f "$ART/include/streamdb.h" ]; then
    echo "bench/compare: $ART has no lib/libstreamdb.so or include/streamdb.h; run ./build.sh first" >&2
    exit 1
fi
make -s STREAMDB_ARTIFACTS="$ART"
"$ART/bench/compare/compare" "$@" | tee "$ART/bench/compare/last-run.md"
