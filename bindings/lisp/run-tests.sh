#!/usr/bin/env bash
# Runs the Common Lisp binding's FiveAM suite under SBCL, then the Lisp samples.
# Exits non-zero when any test or sample fails. Needs Debian's sbcl, cl-cffi and cl-fiveam
# (installed here when missing and run as root) and libstreamdb.so: $STREAMDB_LIBRARY, else
# the repository's artifacts/lib/libstreamdb.so (./build.sh builds it).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export STREAMDB_LIBRARY=${STREAMDB_LIBRARY:-$root/artifacts/lib/libstreamdb.so}

missing=()
command -v sbcl >/dev/null || missing+=(sbcl)
[ -f /usr/share/common-lisp/source/cl-cffi/cffi.asd ] || missing+=(cl-cffi)
[ -f /usr/share/common-lisp/source/fiveam/fiveam.asd ] || missing+=(cl-fiveam)
if [ ${#missing[@]} -ne 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "run-tests.sh: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || exit 1
fi
if [ ! -f "$STREAMDB_LIBRARY" ]; then
    echo "run-tests.sh: $STREAMDB_LIBRARY does not exist; run ./build.sh first" >&2
    exit 1
fi

# The suite. Compiler output goes to a log, shown only when something went wrong.
log=$(mktemp); out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT
sbcl --noinform --non-interactive --disable-debugger --no-userinit --no-sysinit \
     --eval '(require :asdf)' \
     --eval "(push #p\"$here/\" asdf:*central-registry*)" \
     --eval '(handler-bind ((warning (function muffle-warning)))
               (let ((*standard-output* (make-broadcast-stream)))
                 (asdf:load-system "streamdb/tests")))' \
     --eval '(sb-ext:exit :code (min 100 (uiop:symbol-call :streamdb-tests :run-suite)) :abort nil)' \
     2>"$log" | tee "$out"
status=${PIPESTATUS[0]}
counts=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1 \2/p' "$out" | tail -1)
if [ -z "$counts" ]; then
    echo "run-tests.sh: the suite did not finish (exit $status):" >&2
    cat "$log" >&2
    counts="0 1"
elif [ $status -ne 0 ] && [ "${counts#* }" = 0 ]; then
    cat "$log" >&2
    counts="${counts% *} 1"
fi
passed=${counts% *}; failed=${counts#* }

# The samples, each counted as one test.
for sample in quickstart dcf-node-state; do
    file="$root/samples/lisp/$sample.lisp"
    [ -f "$file" ] || continue
    echo "== samples/lisp/$sample.lisp"
    scratch=$(mktemp -d)   # the sample writes its database there; removed afterwards
    if (cd "$scratch" && sbcl --script "$file"); then
        passed=$((passed + 1))
    else
        echo "FAILED: sample $sample"; failed=$((failed + 1))
    fi
    rm -rf "$scratch"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
