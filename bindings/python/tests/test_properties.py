"""Property test: the database behaves like a dict of paths to bytes (hypothesis, when installed)."""

from __future__ import annotations

import os
from typing import Dict

import pytest

import streamdb

hypothesis = pytest.importorskip("hypothesis", reason="python3-hypothesis is not installed")
from hypothesis import settings, strategies as st  # noqa: E402
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test  # noqa: E402

SEED = int(os.environ.get("STREAMDB_TEST_SEED", "20251121"))

# A tiny alphabet makes paths collide and share prefixes often.
paths = st.text(alphabet="ab/é\u6587", min_size=1, max_size=6)
prefixes = st.text(alphabet="ab/é\u6587", max_size=3)
contents = st.binary(max_size=3000)


class DatabaseAgainstDict(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.db = streamdb.open_memory(versions_to_keep=1)
        self.model: Dict[str, bytes] = {}

    @rule(path=paths, data=contents)
    def write(self, path: str, data: bytes) -> None:
        self.db.write(path, data)
        self.model[path] = data

    @rule(path=paths)
    def read(self, path: str) -> None:
        if path in self.model:
            assert self.db.read(path) == self.model[path]
        else:
            with pytest.raises(streamdb.NotFoundError):
                self.db.read(path)

    @rule(path=paths)
    def delete(self, path: str) -> None:
        if path in self.model:
            self.db.delete(path)
            del self.model[path]
        else:
            with pytest.raises(streamdb.NotFoundError):
                self.db.delete(path)

    @rule(prefix=prefixes)
    def search(self, prefix: str) -> None:
        expected = sorted((p for p in self.model if p.startswith(prefix)), key=lambda p: p.encode("utf-8"))
        assert list(self.db.search(prefix)) == expected

    @rule(entries=st.dictionaries(paths, contents, max_size=5))
    def batch(self, entries: Dict[str, bytes]) -> None:
        with self.db.batch() as batch:
            for path, data in entries.items():
                batch.write(path, data)
        self.model.update(entries)

    @invariant()
    def counts_match(self) -> None:
        assert len(self.db) == len(self.model)

    def teardown(self) -> None:
        self.db.close()


DatabaseAgainstDict = hypothesis.seed(SEED)(DatabaseAgainstDict)


def test_database_behaves_like_a_dict() -> None:
    print(f"hypothesis seed {SEED} (replay with STREAMDB_TEST_SEED={SEED})")
    run_state_machine_as_test(
        DatabaseAgainstDict,
        settings=settings(max_examples=60, stateful_step_count=40, deadline=None, database=None),
    )


@hypothesis.seed(SEED)
@hypothesis.given(st.dictionaries(paths, contents, max_size=20), prefixes)
@settings(max_examples=60, deadline=None, database=None)
def test_search_returns_exactly_the_paths_with_the_prefix(documents: Dict[str, bytes], prefix: str) -> None:
    with streamdb.open_memory() as db:
        for path, data in documents.items():
            db.write(path, data)
        expected = sorted((p for p in documents if p.startswith(prefix)), key=lambda p: p.encode("utf-8"))
        assert list(db.search(prefix)) == expected
        for path, data in documents.items():
            assert db[path] == data
