#!/usr/bin/env bash
# Python binding test suite (pytest under Debian's /usr/bin/python3).
# Uses $STREAMDB_LIBRARY when set (build.sh exports it), else the package's own lookup.
# Installs python3-pytest / python3-hypothesis / python3-venv when missing and running as root.
# Extra arguments go to pytest, e.g. bindings/python/run-tests.sh -k reader -x
set -uo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3

missing=()
$PY -c 'import pytest' 2>/dev/null || missing+=(python3-pytest)
$PY -c 'import hypothesis' 2>/dev/null || missing+=(python3-hypothesis)
$PY -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -ne 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "run-tests.sh: installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null || true
        apt-get install -y -qq "${missing[@]}" >/dev/null || { echo "run-tests.sh: apt-get install failed" >&2; exit 1; }
    else
        echo "run-tests.sh: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
        $PY -c 'import pytest' 2>/dev/null || exit 1
    fi
fi

if [ -n "${STREAMDB_LIBRARY:-}" ] && [ ! -f "$STREAMDB_LIBRARY" ]; then
    echo "run-tests.sh: STREAMDB_LIBRARY=$STREAMDB_LIBRARY does not exist (run ./build.sh first)" >&2
    exit 1
fi

export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
report=$(mktemp)
trap 'rm -f "$report"' EXIT
$PY -m pytest -p no:cacheprovider -ra --junitxml="$report" "$@" tests
status=$?
# The plain closing line build.sh's convention asks for, from pytest's own report.
$PY - "$report" <<'PYEOF' || true
import sys, xml.etree.ElementTree as ET
try:
    suites = ET.parse(sys.argv[1]).getroot()
except Exception:
    sys.exit(0)
suites = [suites] if suites.tag == "testsuite" else list(suites)
count = lambda key: sum(int(s.get(key, 0)) for s in suites)
failed = count("failures") + count("errors")
passed = count("tests") - failed - count("skipped")
print(f"python: {passed} passed, {failed} failed, {count('skipped')} skipped")
PYEOF
exit $status
