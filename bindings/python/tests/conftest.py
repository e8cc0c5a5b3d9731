"""Shared fixtures: databases on a temporary file and in memory."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src"
if str(SOURCE) not in sys.path:  # run-tests.sh sets PYTHONPATH; this covers a bare `pytest`
    sys.path.insert(0, str(SOURCE))

import streamdb  # noqa: E402


def pytest_report_header(config: pytest.Config) -> str:
    try:
        where = f"{streamdb.library_path()} (version {streamdb.library_version()})"
    except streamdb.LibraryNotFoundError as error:
        where = f"NOT LOADED: {error}"
    return f"streamdb package {streamdb.__file__}\nlibstreamdb: {where}"


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """Where a test's database file goes (not created yet)."""
    return tmp_path / "test.sdb"


@pytest.fixture
def file_db(db_file: Path) -> Iterator[streamdb.Database]:
    """A fresh database file, opened without fsync so the suite stays fast."""
    with streamdb.open(db_file, no_sync=True) as db:
        yield db


@pytest.fixture(params=["file", "memory"])
def db(request: pytest.FixtureRequest, db_file: Path) -> Iterator[streamdb.Database]:
    """A fresh database, once on a file and once in memory."""
    if request.param == "file":
        database = streamdb.open(db_file, no_sync=True)
    else:
        database = streamdb.open_memory()
    try:
        yield database
    finally:
        database.close()


def seeded(name: str, default: int) -> int:
    """The seed of a randomized test: $STREAMDB_TEST_SEED or the default, printed for replay."""
    seed = int(os.environ.get("STREAMDB_TEST_SEED", default))
    print(f"{name}: seed {seed} (replay with STREAMDB_TEST_SEED={seed})")
    return seed
