"""How the package finds libstreamdb.so (each case in a fresh interpreter)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional

import streamdb

SOURCE = Path(streamdb.__file__).resolve().parent


def run(code: str, env: Dict[str, Optional[str]], pythonpath: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in env}
    environment.update({k: v for k, v in env.items() if v is not None})
    environment["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                          timeout=120)


def copy_package(target: Path) -> Path:
    shutil.copytree(SOURCE, target / "streamdb", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    return target / "streamdb"


def test_streamdb_library_environment_variable_wins() -> None:
    loaded = streamdb.library_path()
    result = run("import streamdb; print(streamdb.library_path())", {"STREAMDB_LIBRARY": loaded}, SOURCE.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == loaded


def test_a_wrong_streamdb_library_is_reported_not_bypassed(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "libstreamdb.so"
    code = ("import streamdb\n"
            "try:\n    streamdb.open_memory()\n"
            "except streamdb.LibraryNotFoundError as e:\n    print(e)\n")
    result = run(code, {"STREAMDB_LIBRARY": str(missing)}, SOURCE.parent)
    assert result.returncode == 0, result.stderr
    assert "$STREAMDB_LIBRARY" in result.stdout and str(missing) in result.stdout
    assert "no such file" in result.stdout


def test_a_file_that_is_not_a_library_is_reported(tmp_path: Path) -> None:
    bogus = tmp_path / "libstreamdb.so"
    bogus.write_text("not an ELF file")
    result = run("import streamdb\ntry:\n    streamdb.library_version()\n"
                 "except OSError as e:\n    print(type(e).__name__, e)\n",
                 {"STREAMDB_LIBRARY": str(bogus)}, SOURCE.parent)
    assert result.stdout.startswith("LibraryNotFoundError"), result.stdout + result.stderr
    assert str(bogus) in result.stdout


def test_importing_never_needs_the_library(tmp_path: Path) -> None:
    result = run("import streamdb; print(streamdb.Database.__name__)",
                 {"STREAMDB_LIBRARY": str(tmp_path / "missing.so")}, SOURCE.parent)
    assert result.returncode == 0 and result.stdout.strip() == "Database"


def test_a_copy_next_to_the_package_is_found(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    shutil.copy(streamdb.library_path(), package / "libstreamdb.so")
    result = run("import streamdb; print(streamdb.library_path()); print(streamdb.library_version())",
                 {"STREAMDB_LIBRARY": None}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == str(package / "libstreamdb.so")


def test_the_repository_build_output_is_found_walking_up(tmp_path: Path) -> None:
    package = copy_package(tmp_path / "repo" / "bindings" / "python" / "src")
    built = tmp_path / "repo" / "artifacts" / "lib"
    built.mkdir(parents=True)
    shutil.copy(streamdb.library_path(), built / "libstreamdb.so")
    result = run("import streamdb; print(streamdb.library_path())", {"STREAMDB_LIBRARY": None}, package.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(built / "libstreamdb.so")


def test_when_nothing_is_found_the_message_lists_every_place_tried(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    code = ("import streamdb\ntry:\n    streamdb.open_memory()\n"
            "except streamdb.LibraryNotFoundError as e:\n    print(e)\n")
    result = run(code, {"STREAMDB_LIBRARY": None, "LD_LIBRARY_PATH": None}, package.parent)
    assert result.returncode == 0, result.stderr
    message = result.stdout
    if "cannot load" not in message:  # a system-wide install exists on this machine
        return
    for place in ("next to the package", str(package / "libstreamdb.so"), "repository build output",
                  "system loader", "STREAMDB_LIBRARY", "./build.sh"):
        assert place in message, message
