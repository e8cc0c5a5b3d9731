"""db.read_async(): concurrent.futures.Future results."""

from __future__ import annotations

from concurrent.futures import Future, wait

import pytest

import streamdb


def test_read_async_returns_a_future_of_the_bytes(db: streamdb.Database) -> None:
    db.write("/a", b"async data")
    future = db.read_async("/a")
    assert isinstance(future, Future)
    assert future.result(timeout=30) == b"async data"


def test_many_reads_run_at_once(db: streamdb.Database) -> None:
    for i in range(100):
        db.write(f"/doc/{i}", bytes([i]) * (1000 + i))
    futures = [db.read_async(f"/doc/{i}") for i in range(100)]
    done, pending = wait(futures, timeout=60)
    assert not pending
    assert [f.result() for f in futures] == [bytes([i]) * (1000 + i) for i in range(100)]


def test_a_missing_path_fails_the_future_with_not_found(db: streamdb.Database) -> None:
    with pytest.raises(streamdb.NotFoundError) as caught:
        db.read_async("/missing").result(timeout=30)
    assert caught.value.status == -2 and caught.value.message


def test_an_invalid_path_raises_invalid_argument(db: streamdb.Database) -> None:
    with pytest.raises(streamdb.InvalidArgumentError):
        db.read_async("").result(timeout=30)


def test_done_callbacks_run_with_the_result(db: streamdb.Database) -> None:
    db.write("/a", b"x" * 100_000)
    seen = []
    future = db.read_async("/a")
    future.add_done_callback(lambda f: seen.append(len(f.result())))
    future.result(timeout=30)
    wait([future])
    assert seen == [100_000]


def test_an_empty_document_reads_as_empty_bytes(db: streamdb.Database) -> None:
    db.write("/empty", b"")
    assert db.read_async("/empty").result(timeout=30) == b""


def test_cancelling_a_future_is_safe_whether_or_not_it_finished(db: streamdb.Database) -> None:
    db.write("/a", bytes(1_000_000))
    futures = [db.read_async("/a") for _ in range(20)]
    futures[0].result(timeout=30)  # at least one finished: cancel() refuses it
    cancelled = [f.cancel() for f in futures]
    for future, was_cancelled in zip(futures, cancelled):
        if was_cancelled:
            assert future.cancelled()
        else:
            assert future.result(timeout=30) == bytes(1_000_000)
    print(f"{sum(cancelled)} of 20 reads cancelled before they finished")
    assert not cancelled[0]
    assert db.read("/a") == bytes(1_000_000)


def test_a_future_reads_the_document_as_of_the_call_or_later(db: streamdb.Database) -> None:
    db.write("/a", b"v1")
    future = db.read_async("/a")
    db.write("/a", b"v2")
    assert future.result(timeout=30) in (b"v1", b"v2")
