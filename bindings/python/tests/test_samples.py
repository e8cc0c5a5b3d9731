"""The Python samples run and print what they promise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import streamdb

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "python"


def run_sample(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, STREAMDB_LIBRARY=streamdb.library_path(),
               PYTHONPATH=str(Path(streamdb.__file__).resolve().parent.parent))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_quickstart_runs(tmp_path: Path) -> None:
    result = run_sample(str(SAMPLES / "quickstart.py"), str(tmp_path / "quick.sdb"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Hello again, StreamDb!" in out
    assert "NotFoundError (status -2)" in out
    assert "/notes/day-2.txt" in out
    assert "4194304 bytes, last 4 bytes 3f 3f 3f 3f" in out
    print(out)


def test_import_dir_imports_a_tree_and_lists_it_by_prefix(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "docs" / "deep").mkdir(parents=True)
    (tree / "docs" / "readme.txt").write_bytes(b"read me")
    (tree / "docs" / "deep" / "data.bin").write_bytes(bytes(range(256)) * 8000)
    (tree / "empty.txt").write_bytes(b"")
    (tree / "ünïcode name.txt").write_bytes("ü".encode())
    os.mkdir(tree / "empty-dir")
    bad_name = os.fsencode(tree) + b"/bad-\xff.txt"
    with open(bad_name, "wb") as handle:
        handle.write(b"unreachable")
    database = tmp_path / "imported.sdb"

    result = run_sample(str(SAMPLES / "import_dir.py"), str(database), str(tree), "/import", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "imported 4 files" in result.stdout
    assert "skipped" in result.stderr and "bad-" in result.stderr
    assert "4 documents, 2048009 bytes under '/import/'" in result.stdout

    with streamdb.open(database, read_only=True) as db:
        assert list(db.search("/import/")) == [
            "/import/docs/deep/data.bin", "/import/docs/readme.txt", "/import/empty.txt", "/import/ünïcode name.txt",
        ]
        assert db["/import/docs/deep/data.bin"] == bytes(range(256)) * 8000

    listed = run_sample(str(SAMPLES / "import_dir.py"), "--list", str(database), "/import/docs/", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        f"{2048000:>12}  /import/docs/deep/data.bin",
        f"{7:>12}  /import/docs/readme.txt",
        "2 documents, 2048007 bytes under '/import/docs/'",
    ]


def test_import_dir_explains_a_missing_directory(tmp_path: Path) -> None:
    result = run_sample(str(SAMPLES / "import_dir.py"), str(tmp_path / "x.sdb"), str(tmp_path / "nope"),
                        cwd=tmp_path)
    assert result.returncode == 2
    assert "is not a directory" in result.stderr
