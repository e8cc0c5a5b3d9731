"""db.writer(): a write-only binary file committed on close."""

from __future__ import annotations

import array
import gc
import io
import shutil

import pytest

import streamdb


def test_writer_is_a_writable_raw_binary_file(db: streamdb.Database) -> None:
    with db.writer("/a") as writer:
        assert isinstance(writer, io.RawIOBase)
        assert writer.writable() and not writer.readable() and not writer.seekable()
        assert writer.mode == "wb"
        assert writer.name == "/a"
        assert not writer.closed
        with pytest.raises((io.UnsupportedOperation, OSError)):
            writer.read(1)
        with pytest.raises((io.UnsupportedOperation, OSError)):
            writer.readinto(bytearray(1))
        with pytest.raises((io.UnsupportedOperation, OSError)):
            writer.seek(0)
        with pytest.raises(io.UnsupportedOperation):
            writer.fileno()


def test_close_commits_what_was_written(db: streamdb.Database) -> None:
    writer = db.writer("/a")
    assert writer.write(b"hello ") == 6
    assert writer.write(bytearray(b"streaming ")) == 10
    assert writer.write(memoryview(b"world")) == 5
    assert writer.tell() == 21
    with pytest.raises(streamdb.NotFoundError):
        db.read("/a")  # nothing visible before the commit
    writer.close()
    assert writer.closed
    assert db.read("/a") == b"hello streaming world"
    assert writer.id == db.get_id("/a")
    assert "committed" in repr(writer)


def test_write_returns_bytes_for_multibyte_buffers(db: streamdb.Database) -> None:
    with db.writer("/a") as writer:
        assert writer.write(array.array("I", [1, 2])) == 8
        assert writer.write(b"") == 0
    assert db.read("/a") == array.array("I", [1, 2]).tobytes()


def test_an_existing_document_keeps_its_old_version_until_the_commit(db: streamdb.Database) -> None:
    doc = db.write("/a", b"old")
    with db.writer("/a") as writer:
        writer.write(b"new")
        assert db.read("/a") == b"old"
    assert db.read("/a") == b"new"
    assert writer.id == doc
    assert db.read_version("/a", 1) == b"old"


def test_a_with_block_that_raises_aborts_the_write(db: streamdb.Database) -> None:
    db.write("/a", b"old")
    with pytest.raises(RuntimeError, match="boom"):
        with db.writer("/a") as writer:
            writer.write(b"half of the new version")
            raise RuntimeError("boom")
    assert writer.closed and writer.aborted and writer.id is None
    assert db.read("/a") == b"old"
    with pytest.raises(RuntimeError):
        with db.writer("/new") as writer:
            writer.write(b"x")
            raise RuntimeError("boom")
    assert "/new" not in db


def test_abort_discards_everything(db: streamdb.Database) -> None:
    writer = db.writer("/a")
    writer.write(b"discarded")
    writer.abort()
    writer.abort()
    writer.close()  # already finished: nothing to commit
    assert writer.closed and writer.aborted
    assert "/a" not in db
    assert "aborted" in repr(writer)


def test_a_writer_that_is_garbage_collected_is_aborted_not_committed(db: streamdb.Database) -> None:
    writer = db.writer("/a")
    writer.write(b"never closed")
    del writer
    gc.collect()
    assert "/a" not in db


def test_closed_writer_follows_io_conventions(db: streamdb.Database) -> None:
    writer = db.writer("/a")
    writer.close()
    writer.close()
    for call in (lambda: writer.write(b"x"), writer.tell, writer.writable, writer.flush):
        with pytest.raises(ValueError):
            call()


def test_writer_refuses_str(db: streamdb.Database) -> None:
    with db.writer("/a") as writer:
        with pytest.raises(TypeError):
            writer.write("text")  # type: ignore[arg-type]


def test_a_large_document_streams_in_pieces(db: streamdb.Database) -> None:
    piece = bytes(range(256)) * 257
    with db.writer("/large") as writer:
        for _ in range(100):
            writer.write(piece)
    assert db.read("/large") == piece * 100


def test_shutil_copyfileobj_streams_into_a_writer(db: streamdb.Database) -> None:
    data = bytes(range(256)) * 4000
    with db.writer("/a") as writer:
        shutil.copyfileobj(io.BytesIO(data), writer, 7_000)
    assert db.read("/a") == data


def test_buffered_and_text_wrappers_write_through_a_writer(db: streamdb.Database) -> None:
    with io.TextIOWrapper(io.BufferedWriter(db.writer("/text")), encoding="utf-8") as text:
        text.write("ünïcödé\n" * 1000)
    assert db.read("/text") == ("ünïcödé\n" * 1000).encode("utf-8")


def test_a_writer_past_max_document_size_raises_too_large_and_commits_nothing(tmp_path) -> None:
    with streamdb.open(tmp_path / "small.sdb", max_document_size=1000, no_sync=True) as db:
        writer = db.writer("/a")
        writer.write(bytes(600))
        with pytest.raises(streamdb.TooLargeError):
            writer.write(bytes(600))
            writer.close()
        writer.abort()
        assert "/a" not in db


def test_a_writer_on_a_read_only_database_raises_read_only(tmp_path) -> None:
    path = tmp_path / "ro.sdb"
    streamdb.open(path, no_sync=True).close()
    with streamdb.open(path, read_only=True) as db:
        with pytest.raises(streamdb.ReadOnlyError):
            with db.writer("/a") as writer:
                writer.write(b"x")
        assert "/a" not in db


def test_a_writer_with_an_invalid_path_raises_at_open(db: streamdb.Database) -> None:
    with pytest.raises(streamdb.InvalidArgumentError):
        db.writer("")
