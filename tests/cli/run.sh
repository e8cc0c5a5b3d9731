#!/usr/bin/env bash
# End-to-end tests of the `streamdb` command-line tool: each test runs the published native
# executable as a shell script would and checks its output, its files and its exit code.
#
#   tests/cli/run.sh              publish (or reuse) the tool, run every test
#   STREAMDB_CLI=/path/streamdb   test that executable instead
#   STREAMDB_TEST_SEED=N          seed of the generated binary data (printed on every run)
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
ARTIFACTS=${STREAMDB_ARTIFACTS:-$ROOT/artifacts}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export LC_ALL=C.UTF-8

apt_updated=0
need_pkg() { # need_pkg CHECK-COMMAND PACKAGE...
    if bash -c "$1" >/dev/null 2>&1; then return 0; fi
    local check=$1; shift
    if [ "$(id -u)" -ne 0 ]; then echo "tests/cli: missing $*; install with: sudo apt-get install -y $*" >&2; return 1; fi
    if [ $apt_updated -eq 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null && bash -c "$check" >/dev/null 2>&1
}
need_pkg "command -v cmp && command -v diff" diffutils || exit 1
need_pkg "command -v script" bsdutils || exit 1

# --- the executable under test ---------------------------------------------------------------
# build.sh may already have published it to artifacts/bin; reuse that copy only when no source
# of the tool or the engine is newer, so a stale binary is never what gets tested.
newest_source_after() { find src/StreamDb.Cli src/StreamDb Directory.Build.props \
    \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -newer "$1" -print -quit 2>/dev/null; }
if [ -n "${STREAMDB_CLI:-}" ]; then
    S=$STREAMDB_CLI
elif [ -x "$ARTIFACTS/bin/streamdb" ] && [ -z "$(newest_source_after "$ARTIFACTS/bin/streamdb")" ]; then
    S=$ARTIFACTS/bin/streamdb
else
    need_pkg "command -v clang || command -v gcc" gcc || exit 1
    echo "publishing the streamdb tool (NativeAOT) to $ARTIFACTS/cli"
    dotnet publish src/StreamDb.Cli/StreamDb.Cli.csproj -c Release -r linux-x64 \
        -o "$ARTIFACTS/cli" -v quiet -nologo || { echo "tests/cli: publishing the tool failed"; echo "0 passed, 1 failed"; exit 1; }
    S=$ARTIFACTS/cli/streamdb
fi
echo "testing $S"

SEED=${STREAMDB_TEST_SEED:-$(( $(date +%s) % 100000 ))}
echo "seed: $SEED (rerun with STREAMDB_TEST_SEED=$SEED)"

T=$(mktemp -d "${TMPDIR:-/tmp}/streamdb-cli-tests.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"

# --- harness ---------------------------------------------------------------------------------
passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; shift; [ $# -gt 0 ] && printf '     %s\n' "$@"
         if [ -s err ]; then sed 's/^/     stderr: /' err | head -5; fi; return 0; }

# run ARGS...: runs the tool with stdout in ./out, stderr in ./err, the exit code in $rc.
run() { "$S" "$@" >out 2>err; rc=$?; }

# expect NAME CODE ARGS...: the tool exits with CODE; a failure says something on stderr,
# every line of it prefixed "streamdb: ".
expect() {
    local name=$1 code=$2; shift 2
    run "$@"
    if [ "$rc" -ne "$code" ]; then fail "$name" "expected exit $code, got $rc: streamdb $*"; return; fi
    if [ "$code" -ne 0 ]; then
        if [ ! -s err ]; then fail "$name" "exit $code with nothing on stderr"; return; fi
        if grep -qv '^streamdb: ' err; then fail "$name" "a stderr line lacks the 'streamdb: ' prefix"; return; fi
    fi
    ok "$name"
}

not() { ! "$@"; }

# check NAME COMMAND...: the command succeeds.
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name" "failed: $*"; fi; }

# random_bytes SEED SIZE: reproducible binary data with every byte value (perl-base is Essential).
random_bytes() { perl -e 'srand($ARGV[0]); my $n = $ARGV[1]; while ($n > 0) { my $k = $n < 65536 ? $n : 65536;
    print pack("C*", map { int(rand(256)) } 1..$k); $n -= $k }' "$1" "$2"; }

# --- version and help ------------------------------------------------------------------------
run --version
check "--version prints the name and a version" grep -qE '^streamdb [0-9]+\.[0-9]+\.[0-9]+' out
expect "--version exits 0" 0 --version

run --help
check "--help exits 0" test "$rc" -eq 0
check "--help lists the exit codes" grep -q '^exit codes:' out
check "--help documents exit code 5 as busy" grep -qE '^  5  busy' out
for cmd in put get ls rm bind stat verify compact import export; do
    check "--help lists $cmd" grep -qE "^  $cmd " out
done
for cmd in put get ls rm bind stat verify compact import export; do
    run "$cmd" --help
    if [ "$rc" -eq 0 ] && grep -q "^usage: streamdb $cmd " out && grep -q '^exit codes:' out && [ ! -s err ]; then
        ok "$cmd --help prints its usage and the exit codes on stdout"
    else
        fail "$cmd --help prints its usage and the exit codes on stdout" "exit $rc"
    fi
    run "$cmd" -h; cp out h1; run help "$cmd"
    check "$cmd -h and 'help $cmd' print the same help" cmp -s h1 out
done
run put db.sdb /x --help
check "--help after other arguments still prints help and touches nothing" test "$rc" -eq 0 -a ! -e db.sdb

# --- usage errors (2) ------------------------------------------------------------------------
expect "no command is a usage error" 2
expect "an unknown command is a usage error" 2 frobnicate db.sdb
expect "an unknown global option is a usage error" 2 --frobnicate
expect "an unknown command option is a usage error" 2 ls db.sdb --frobnicate
expect "missing arguments are a usage error" 2 get db.sdb
expect "too many arguments are a usage error" 2 rm db.sdb /a /b
expect "a malformed option value is a usage error" 2 get db.sdb /a --back x
expect "an option without its value is a usage error" 2 get db.sdb /a --back
check "usage errors create no database" test ! -e db.sdb

# --- put / get -------------------------------------------------------------------------------
random_bytes "$SEED" 3145739 > big.bin            # > 1 MiB chunks, odd length
random_bytes "$((SEED + 1))" 1000 > small.bin
: > empty.bin
expect "put FILE stores a file" 0 put db.sdb /bin/big big.bin
check "put prints nothing on stdout" test ! -s out
run get db.sdb /bin/big
check "get streams the binary document back byte for byte" cmp -s out big.bin
"$S" put db.sdb /bin/small - < small.bin; rc=$?
check "put - reads stdin" test "$rc" -eq 0
"$S" put db.sdb /bin/small2 < small.bin; rc=$?
check "put without FILE reads stdin" test "$rc" -eq 0
"$S" get db.sdb /bin/small | cmp -s - small.bin; check "get to a pipe round-trips stdin data" test "${PIPESTATUS[0]}${PIPESTATUS[1]}" = 00
"$S" get db.sdb /bin/small2 > got.bin; check "get > file round-trips" cmp -s got.bin small.bin
expect "put --compress stores a file compressed" 0 put --compress z.sdb /big big.bin
run get z.sdb /big
check "a compressed document reads back byte for byte" cmp -s out big.bin
yes 'a very compressible line of text' | head -c 4000000 > text.txt
"$S" put z.sdb /text text.txt; plain=$(stat -c %s z.sdb)
"$S" put -z z.sdb /text2 text.txt; grown=$(( $(stat -c %s z.sdb) - plain ))
check "compressible data takes far less room with -z" test "$grown" -lt 1000000
run get z.sdb /text2
check "compressed text reads back" cmp -s out text.txt
expect "put stores an empty file" 0 put db.sdb /bin/empty empty.bin
run get db.sdb /bin/empty
check "get of an empty document prints nothing and exits 0" test "$rc" -eq 0 -a ! -s out
printf 'version one' | "$S" put db.sdb /doc/v
printf 'version two' | "$S" put db.sdb /doc/v
run get db.sdb /doc/v
check "put over an existing path replaces its content" test "$(cat out)" = "version two"
run get db.sdb /doc/v --back 1
check "get --back 1 reads the previous version" test "$rc" -eq 0 -a "$(cat out)" = "version one"
expect "get --back past the kept versions is not found" 1 get db.sdb /doc/v --back 1000
printf 'dash' | "$S" put db.sdb -- -dash; rc=$?
run get db.sdb -- -dash
check "'--' lets a path start with '-'" test "$rc" -eq 0 -a "$(cat out)" = dash
printf 'unicode' | "$S" put db.sdb '/ünï/cødé ☃.txt'
run get db.sdb '/ünï/cødé ☃.txt'
check "unicode paths round-trip" test "$(cat out)" = unicode

expect "get of a missing path exits 1" 1 get db.sdb /no/such/path
check "get of a missing path writes nothing to stdout" test ! -s out
expect "get on a missing database exits 1" 1 get missing.sdb /a
check "get does not create a missing database" test ! -e missing.sdb
expect "put of a missing input file exits 1" 1 put new.sdb /a no-such-file
check "put of a missing input file creates no database" test ! -e new.sdb
mkdir adir
expect "put of a directory is an invalid argument" 3 put db.sdb /a adir
expect "an empty path is an invalid argument" 3 put db.sdb "" small.bin
expect "a database path that is a directory is an invalid argument" 3 get adir /a
printf 'plain text, not a database\n' > notdb.txt; cp notdb.txt notdb.orig
expect "a file that is not a database is reported as corrupted" 4 ls notdb.txt
expect "put into a file that is not a database is refused" 4 put notdb.txt /a small.bin
check "the refused file is left unchanged" cmp -s notdb.txt notdb.orig

# --- ls --------------------------------------------------------------------------------------
run ls db.sdb /bin/
check "ls PREFIX lists the matching paths in byte order" test "$(cat out)" = "$(printf '/bin/big\n/bin/empty\n/bin/small\n/bin/small2')"
run ls db.sdb
check "ls without PREFIX lists every path" test "$(wc -l < out)" -eq 7
run ls db.sdb /nothing/
check "ls with no match prints nothing and exits 0" test "$rc" -eq 0 -a ! -s out
run ls db.sdb /bin/ -0
check "ls -0 separates paths with NUL" test "$(tr '\0' ' ' < out)" = "/bin/big /bin/empty /bin/small /bin/small2 "
for i in $(seq 1 3000); do printf '/many/%05d\n' "$i"; done > many.txt
mkdir many; (cd many && for i in $(seq 1 3000); do : > "$(printf '%05d' "$i")"; done)
"$S" import db.sdb many /many/ -q
"$S" ls db.sdb /many/ | head -1 > first.txt; codes="${PIPESTATUS[*]}"
check "ls into a closed pipe ends quietly with exit 0" test "$codes" = "0 0" -a "$(cat first.txt)" = /many/00001
"$S" get db.sdb /bin/big | head -c 10 > /dev/null; codes="${PIPESTATUS[*]}"
check "get into a closed pipe ends with exit 0" test "$codes" = "0 0"
{ "$S" get db.sdb /bin/small2; printf 'after'; } > shared.out
check "get writes at the shell's file offset, so later output in the same redirection follows it" \
    test "$(wc -c < shared.out)" -eq $(( $(wc -c < small.bin) + 5 )) -a "$(tail -c 5 shared.out)" = after
script -qec "'$S' --version; '$S' get db.sdb /no/such/path" /dev/null > tty-plain.out 2>&1 </dev/null
check "on a terminal the tool writes no escape sequences outside the progress bar" not grep -q $'\e' tty-plain.out
check "on a terminal messages still arrive" grep -q "streamdb: .*no/such/path" tty-plain.out

# --- stat ------------------------------------------------------------------------------------
run stat db.sdb /bin/big
check "stat PATH reports the size" grep -qx "size: $(wc -c < big.bin)" out
check "stat PATH reports the id" grep -qE '^id: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' out
check "stat PATH reports one path" grep -qx 'paths: 1' out
run stat db.sdb
check "stat DB reports the counters" test "$rc" -eq 0
for key in page_size file_bytes total_pages free_pages documents paths; do
    check "stat DB reports $key" grep -qE "^$key: [0-9]+$" out
done
check "stat DB counts the paths" grep -qx 'paths: 3007' out
expect "stat of a missing path exits 1" 1 stat db.sdb /no/such/path

# --- bind / rm -------------------------------------------------------------------------------
expect "bind makes a document readable at a new path" 0 bind db.sdb /bin/small /alias/small
run get db.sdb /alias/small
check "the bound path reads the same bytes" cmp -s out small.bin
run stat db.sdb /alias/small
check "stat of a bound document counts both paths" grep -qx 'paths: 2' out
id1=$("$S" stat db.sdb /bin/small | grep '^id:'); id2=$("$S" stat db.sdb /alias/small | grep '^id:')
check "both paths name the same document id" test "$id1" = "$id2"
expect "bind from a missing path exits 1" 1 bind db.sdb /no/such/path /alias/x
expect "rm removes a path" 0 rm db.sdb /bin/small
expect "a removed path is not found" 1 get db.sdb /bin/small
run get db.sdb /alias/small
check "rm of one path keeps the document readable at the other" cmp -s out small.bin
expect "rm of a missing path exits 1" 1 rm db.sdb /bin/small
expect "rm on a missing database exits 1" 1 rm missing.sdb /a
check "rm does not create a missing database" test ! -e missing.sdb

# --- verify / compact ------------------------------------------------------------------------
expect "verify of a sound database exits 0" 0 verify db.sdb
check "verify says ok" grep -qx 'db.sdb: ok' out
for i in 1 2 3 4 5 6; do "$S" rm db.sdb "/many/0000$i" || true; done
expect "compact exits 0" 0 compact db.sdb
run get db.sdb /bin/big
check "documents survive compact" cmp -s out big.bin
expect "verify after compact exits 0" 0 verify db.sdb
expect "verify on a missing database exits 1" 1 verify missing.sdb
expect "compact on a missing database exits 1" 1 compact missing.sdb

# Damage the middle of a stored document's data (in the newest commit, which a clean close has
# confirmed, so it is corruption, not a torn commit to roll back); its checksums must catch it.
random_bytes "$((SEED + 2))" 4194304 > damage.bin
printf 'later' | "$S" put bad.sdb /later
"$S" put bad.sdb /big damage.bin
offset=$(perl -e 'open(my $d, "<:raw", $ARGV[0]) or die; seek($d, 2000000, 0); read($d, my $needle, 64);
    open(my $f, "<:raw", $ARGV[1]) or die; local $/; my $all = <$f>; print index($all, $needle)' damage.bin bad.sdb)
check "the document's bytes are found in the database file" test "$offset" -gt 0
dd if=/dev/zero of=bad.sdb bs=1 seek="$offset" count=64 conv=notrunc status=none
expect "verify of a damaged database exits 4" 4 verify bad.sdb
check "the corruption message says what is wrong" grep -q 'CRC' err
expect "get of a damaged document exits 4" 4 get bad.sdb /big
expect "an undamaged document of a damaged database still reads" 0 get bad.sdb /later

# --- busy ------------------------------------------------------------------------------------
# A put waiting for stdin holds the database open for writing; other writers must be told.
mkfifo pipe
exec 3<>pipe
"$S" put db.sdb /busy/doc < pipe 3>&- & holder=$!   # 3>&-: the holder must not keep the pipe open itself
busy=0
for _ in $(seq 1 100); do
    # A probe that opens the file before the holder does makes the holder exit Busy: start it again.
    if ! kill -0 "$holder" 2>/dev/null; then
        wait "$holder" 2>/dev/null
        "$S" put db.sdb /busy/doc < pipe 3>&- & holder=$!
    fi
    "$S" rm db.sdb /no/such/path 2>err; rc=$?
    if [ "$rc" -eq 5 ]; then busy=1; break; fi
    sleep 0.1
done
check "a second writer gets exit 5 while the database is held" test "$busy" -eq 1
check "the busy message is prefixed" grep -q '^streamdb: ' err
expect "a reader gets exit 5 while a writer holds the database" 5 get db.sdb /bin/big
printf 'held' >&3; exec 3>&-
wait "$holder"; rc=$?
check "the holding put commits once its input ends" test "$rc" -eq 0 -a "$("$S" get db.sdb /busy/doc)" = held

# --- import / export -------------------------------------------------------------------------
mkdir -p tree/a/b/c 'tree/données/été' 'tree/日本語' 'tree/with space' tree/.hidden
random_bytes "$((SEED + 3))" 2097152 > 'tree/a/b/c/deep.bin'          # streamed (> 1 MiB)
random_bytes "$((SEED + 4))" 777 > 'tree/a/b/small.bin'
: > tree/a/empty
printf 'résumé' > 'tree/données/été/résumé ☃.txt'
printf 'nihongo' > 'tree/日本語/ファイル.txt'
printf 'space' > 'tree/with space/a file.txt'
printf 'dot' > tree/.hidden/.dotfile
printf 'top' > tree/top.txt
ln -s top.txt tree/link-to-top
(cd tree && find . -type f | sed 's|^\./|/site/|' | LC_ALL=C sort) > expected.txt

expect "import stores a tree" 0 import tree.sdb tree /site/
check "import prints a summary on stdout" grep -q '^imported 8 files' out
check "import warns about the skipped symbolic link" grep -q 'link-to-top' err
run ls tree.sdb /site/
check "import stores every file at PREFIX + relative path" cmp -s out expected.txt
all_same=1
while IFS= read -r p; do
    "$S" get tree.sdb "$p" > got.bin && cmp -s got.bin "tree/${p#/site/}" || { all_same=0; echo "     differs: $p"; }
done < expected.txt
check "every imported document has its file's bytes" test "$all_same" -eq 1
expect "import --compress stores a tree" 0 import -q --compress ztree.sdb tree /site/
"$S" export -q ztree.sdb /site/ zexported
check "a compressed import exports identical files" diff -r -x link-to-top tree zexported
expect "import without PREFIX uses the relative path" 0 import -q plain.sdb tree
run ls plain.sdb
check "paths without PREFIX are relative with '/' separators" grep -qx 'a/b/c/deep.bin' out
check "import --quiet prints nothing" test "$("$S" import -q plain.sdb tree 2>/dev/null | wc -c)" -eq 0

expect "export writes a tree" 0 export tree.sdb /site/ exported
check "export prints a summary on stdout" grep -q '^exported 8 files' out
rm tree/link-to-top
check "export recreates the imported tree exactly" diff -r tree exported
expect "export into an existing tree overwrites it" 0 export tree.sdb /site/ exported
check "the overwritten tree is still identical" diff -r tree exported
expect "export with a prefix that is not a folder drops the leading '/'" 0 export tree.sdb /site out2
check "export without a trailing '/' in PREFIX lands inside DIR" test -f out2/a/b/c/deep.bin

mkdir selfdir; printf 'x' > selfdir/x.txt; "$S" put selfdir/self.sdb /first selfdir/x.txt
expect "import skips the database file when it lies inside DIR" 0 import -q selfdir/self.sdb selfdir /s/
check "the skipped database file is named in a warning" grep -q 'self.sdb' err
check "only the other files are imported" test "$("$S" ls selfdir/self.sdb /s/)" = /s/x.txt
expect "import of a missing directory exits 1" 1 import tree.sdb no-such-dir
expect "import of a file is an invalid argument" 3 import tree.sdb small.bin
expect "export to a file is an invalid argument" 3 export tree.sdb /site/ small.bin
expect "export from a missing database exits 1" 1 export missing.sdb / out3

printf 'evil' | "$S" put esc.sdb '/x/../../escaped.txt'
printf 'fine' | "$S" put esc.sdb '/x/fine.txt'
expect "export refuses a path with '..'" 3 export esc.sdb /x/ esc-out
check "the refusal names the path" grep -q 'escaped.txt' err
check "a refused export writes nothing at all" test ! -e esc-out -a ! -e escaped.txt -a ! -e ../escaped.txt
printf 'a' | "$S" put dot.sdb '/y/./a'
expect "export refuses a '.' segment" 3 export dot.sdb /y/ dot-out
printf 'a' | "$S" put slash.sdb '/z/a//b'
expect "export refuses an empty segment" 3 export slash.sdb /z/ slash-out
printf 'file' | "$S" put clash.sdb '/c/a'
printf 'nested' | "$S" put clash.sdb '/c/a/b'
expect "export refuses a path that is both a file and a folder" 3 export clash.sdb /c/ clash-out
mkdir elsewhere link-out; ln -s ../elsewhere link-out/sub
printf 'x' | "$S" put link.sdb '/l/sub/f'
expect "export refuses to write through a symbolic link" 3 export link.sdb /l/ link-out
check "nothing is written through the link" test -z "$(ls -A elsewhere)"
expect "export of a path equal to PREFIX is refused" 3 export tree.sdb /site/top.txt one-out

# --- progress bar ----------------------------------------------------------------------------
"$S" import big-tree.sdb many /m/ > progress.out 2> progress.err; rc=$?
check "import of a large tree succeeds" test "$rc" -eq 0 -a "$("$S" ls big-tree.sdb /m/ | wc -l)" -eq 3000
check "no progress bar when stdout and stderr are redirected" test ! -s progress.err
script -qec "'$S' import tty.sdb many /m/" /dev/null > tty.out 2>&1 </dev/null
check "a progress bar on a terminal for a large tree" grep -q '100%' tty.out
script -qec "'$S' export tty.sdb /m/ tty-export" /dev/null > tty2.out 2>&1 </dev/null
check "a progress bar on a terminal for a large export" grep -q '100%' tty2.out
script -qec "'$S' import small-tty.sdb tree /s/" /dev/null > tty3.out 2>&1 </dev/null
check "no progress bar on a terminal for a small tree" not grep -q '%' tty3.out
script -qec "'$S' import --no-progress tty4.sdb many /m/" /dev/null > tty4.out 2>&1 </dev/null
check "--no-progress hides the bar on a terminal" not grep -q '%' tty4.out

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
