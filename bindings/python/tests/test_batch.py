"""db.batch(): atomic groups of writes and deletes."""

from __future__ import annotations

import gc

import pytest

import streamdb


def test_a_batch_commits_every_write_and_delete_together(db: streamdb.Database) -> None:
    db.write("/gone", b"x")
    with db.batch() as batch:
        batch.write("/a", b"1")
        batch.write(b"/b", bytearray(b"2"))
        batch["/c"] = memoryview(b"3")
        batch.delete("/gone")
        assert "/a" not in db  # nothing visible before the commit
        assert "/gone" in db
    assert batch.committed and batch.finished
    assert (db["/a"], db["/b"], db["/c"]) == (b"1", b"2", b"3")
    assert "/gone" not in db


def test_del_item_adds_a_delete(db: streamdb.Database) -> None:
    db.write("/a", b"1")
    with db.batch() as batch:
        del batch["/a"]
    assert "/a" not in db


def test_an_exception_in_the_with_block_aborts_the_batch(db: streamdb.Database) -> None:
    with pytest.raises(RuntimeError):
        with db.batch() as batch:
            batch.write("/a", b"1")
            raise RuntimeError("boom")
    assert batch.finished and not batch.committed
    assert "/a" not in db


def test_a_delete_of_a_missing_path_fails_the_whole_batch(db: streamdb.Database) -> None:
    db.write("/kept", b"old")
    with pytest.raises(streamdb.NotFoundError):
        with db.batch() as batch:
            batch.write("/kept", b"new")
            batch.write("/a", b"1")
            batch.delete("/missing")
    assert batch.finished and not batch.committed
    assert db.read("/kept") == b"old"
    assert "/a" not in db


def test_explicit_commit_and_abort(db: streamdb.Database) -> None:
    batch = db.batch()
    batch.write("/a", b"1")
    batch.commit()
    assert db["/a"] == b"1"
    batch = db.batch()
    batch.write("/b", b"2")
    batch.abort()
    batch.abort()
    assert "/b" not in db


def test_a_finished_batch_refuses_more_work(db: streamdb.Database) -> None:
    batch = db.batch()
    batch.commit()
    for call in (lambda: batch.write("/a", b"1"), lambda: batch.delete("/a"), batch.commit):
        with pytest.raises(streamdb.InvalidArgumentError):
            call()
    with pytest.raises(streamdb.InvalidArgumentError):
        with batch:
            pass


def test_committing_inside_the_with_block_is_allowed(db: streamdb.Database) -> None:
    with db.batch() as batch:
        batch.write("/a", b"1")
        batch.commit()
    assert db["/a"] == b"1"


def test_a_batch_that_is_garbage_collected_is_aborted(db: streamdb.Database) -> None:
    batch = db.batch()
    batch.write("/a", b"1")
    del batch
    gc.collect()
    assert "/a" not in db


def test_an_invalid_path_in_a_batch_raises_invalid_argument(db: streamdb.Database) -> None:
    with db.batch() as batch:
        with pytest.raises(streamdb.InvalidArgumentError):
            batch.write("", b"1")
        with pytest.raises(TypeError):
            batch.write("/a", "text")  # type: ignore[arg-type]
        batch.write("/ok", b"1")
    assert list(db.search("")) == ["/ok"]


def test_an_empty_batch_commits(db: streamdb.Database) -> None:
    with db.batch() as batch:
        pass
    assert batch.committed


def test_a_batch_writes_many_documents(db: streamdb.Database) -> None:
    with db.batch() as batch:
        for i in range(500):
            batch.write(f"/many/{i:04}", str(i).encode())
    assert len(list(db.search("/many/"))) == 500
    assert db["/many/0499"] == b"499"


def test_a_batch_on_a_read_only_snapshot_raises_read_only(db: streamdb.Database) -> None:
    with db.snapshot() as snapshot:
        with pytest.raises(streamdb.ReadOnlyError):
            with snapshot.batch() as batch:
                batch.write("/a", b"1")
    assert "/a" not in db
