#!/usr/bin/env bash
# check_pkgconfig.sh PKGCONFIG_DIR QUICKSTART_C SCRATCH: a program builds with nothing but
# `pkg-config --cflags --libs streamdb` and runs.
set -eu
export PKG_CONFIG_PATH=$1
flags=$(pkg-config --cflags --libs streamdb)
echo "pkg-config --cflags --libs streamdb: $flags"
out="$3/quickstart-pkgconfig"
# shellcheck disable=SC2086
gcc -std=c99 -Wall -Wextra -Werror "$2" $flags -o "$out"
cd "$3" && rm -f quickstart.sdb && "$out"
