"""Whole-document calls: write, read, read_into, read_version, stat, delete, mapping operators."""

from __future__ import annotations

import array
import random
import uuid

import pytest

import streamdb


def test_write_returns_the_document_id_as_uuid(db: streamdb.Database) -> None:
    doc = db.write("/a", b"1")
    assert isinstance(doc, uuid.UUID)
    assert db.get_id("/a") == doc


def test_overwriting_a_path_keeps_its_document_id(db: streamdb.Database) -> None:
    first = db.write("/a", b"1")
    assert db.write("/a", b"2") == first
    assert db.read("/a") == b"2"


def test_different_paths_get_different_documents(db: streamdb.Database) -> None:
    assert db.write("/a", b"1") != db.write("/b", b"1")


def test_read_returns_exactly_the_bytes_written(db: streamdb.Database) -> None:
    rng = random.Random(7)
    data = bytes(rng.getrandbits(8) for _ in range(100_000))
    db.write("/random", data)
    result = db.read("/random")
    assert type(result) is bytes
    assert result == data


def test_an_empty_document_reads_as_empty_bytes(db: streamdb.Database) -> None:
    db.write("/empty", b"")
    assert db.read("/empty") == b""
    assert db.stat("/empty").size == 0


def test_a_large_document_round_trips(db: streamdb.Database) -> None:
    data = bytes(range(256)) * (5 * 4096 + 17)
    db.write("/large", data)
    assert db.read("/large") == data


@pytest.mark.parametrize("make", [
    bytearray, memoryview, lambda b: memoryview(bytearray(b)), lambda b: array.array("B", b),
    lambda b: memoryview(b"xx" + b + b"yy")[2:-2], lambda b: memoryview(bytearray(b)).cast("c"),
])
def test_write_accepts_any_bytes_like_object(db: streamdb.Database, make) -> None:
    db.write("/a", make(b"payload"))
    assert db.read("/a") == b"payload"


def test_write_accepts_multibyte_and_strided_buffers(db: streamdb.Database) -> None:
    words = array.array("I", [1, 2, 3])
    db.write("/words", words)
    assert db.read("/words") == words.tobytes()
    strided = memoryview(b"a-b-c-")[::2]
    db.write("/strided", strided)
    assert db.read("/strided") == b"abc"


def test_write_refuses_str_data(db: streamdb.Database) -> None:
    with pytest.raises(TypeError, match="encode"):
        db.write("/a", "text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        db.write("/a", 42)  # type: ignore[arg-type]
    assert "/a" not in db


def test_reading_a_missing_path_raises_not_found_which_is_a_key_error(db: streamdb.Database) -> None:
    with pytest.raises(streamdb.NotFoundError) as caught:
        db.read("/missing")
    assert isinstance(caught.value, KeyError)
    assert caught.value.status == -2
    assert caught.value.message


def test_str_and_utf8_bytes_name_the_same_document(db: streamdb.Database) -> None:
    db.write("/naïve/文書", b"1")
    assert db.read("/naïve/文書".encode("utf-8")) == b"1"
    assert db.read(bytearray("/naïve/文書".encode("utf-8"))) == b"1"
    assert list(db.search("/na")) == ["/naïve/文書"]


@pytest.mark.parametrize("bad", ["", b"", "a\0b", b"\xff\xfe", "x" * 4097, "bad\udcffsurrogate"])
def test_an_invalid_path_raises_invalid_argument_and_changes_nothing(db: streamdb.Database, bad) -> None:
    db.write("/keep", b"1")
    with pytest.raises(streamdb.InvalidArgumentError) as caught:
        db.write(bad, b"2")
    assert isinstance(caught.value, ValueError)
    assert caught.value.status == -3
    with pytest.raises(streamdb.InvalidArgumentError):
        db.read(bad)
    assert list(db.search("")) == ["/keep"]


def test_a_path_of_4096_bytes_is_valid(db: streamdb.Database) -> None:
    path = "/" + "p" * 4095
    db.write(path, b"long")
    assert db.read(path) == b"long"


def test_a_path_of_the_wrong_type_raises_type_error(db: streamdb.Database) -> None:
    with pytest.raises(TypeError):
        db.write(42, b"1")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        db.read(None)  # type: ignore[arg-type]


def test_mapping_operators(db: streamdb.Database) -> None:
    db["/a"] = b"1"
    db["/b"] = bytearray(b"2")
    assert db["/a"] == b"1"
    assert "/a" in db and b"/b" in db
    assert "/c" not in db
    assert sorted(db) == ["/a", "/b"]
    assert len(db) == 2
    del db["/a"]
    assert "/a" not in db
    assert len(db) == 1
    with pytest.raises(KeyError):
        db["/a"]
    with pytest.raises(KeyError):
        del db["/a"]


def test_a_database_is_true_even_when_empty_or_closed(db: streamdb.Database) -> None:
    assert len(db) == 0 and db
    db.close()
    assert db


def test_get_returns_a_default_for_a_missing_path(db: streamdb.Database) -> None:
    db["/a"] = b"1"
    assert db.get("/a") == b"1"
    assert db.get("/missing") is None
    assert db.get("/missing", b"fallback") == b"fallback"


def test_read_into_copies_from_an_offset(db: streamdb.Database) -> None:
    db.write("/a", b"0123456789")
    buffer = bytearray(4)
    assert db.read_into("/a", 3, buffer) == 4
    assert buffer == b"3456"
    assert db.read_into("/a", 8, buffer) == 2
    assert buffer[:2] == b"89"
    assert db.read_into("/a", 10, buffer) == 0
    assert db.read_into("/a", 1000, buffer) == 0


def test_read_into_fills_memoryview_slices_and_arrays(db: streamdb.Database) -> None:
    db.write("/a", b"abcdef")
    target = bytearray(b"..........")
    assert db.read_into("/a", 0, memoryview(target)[2:5]) == 3
    assert target == b"..abc....."
    words = array.array("H", [0, 0])
    assert db.read_into("/a", 2, words) == 4
    assert words.tobytes() == b"cdef"
    assert db.read_into("/a", 0, bytearray()) == 0


def test_read_into_refuses_read_only_buffers_and_negative_offsets(db: streamdb.Database) -> None:
    db.write("/a", b"abc")
    with pytest.raises(TypeError):
        db.read_into("/a", 0, b"xyz")
    with pytest.raises(TypeError):
        db.read_into("/a", 0, memoryview(bytearray(6))[::2])  # not contiguous
    with pytest.raises(TypeError):
        db.read_into("/a", 0, 12)  # type: ignore[arg-type]
    with pytest.raises(streamdb.InvalidArgumentError):
        db.read_into("/a", -1, bytearray(3))
    with pytest.raises(streamdb.NotFoundError):
        db.read_into("/missing", 0, bytearray(3))


def test_read_version_goes_back_through_history(db: streamdb.Database) -> None:
    db.write("/a", b"v1")
    db.write("/a", b"v2")
    db.write("/a", b"v3")
    assert db.read_version("/a") == b"v3"
    assert db.read_version("/a", 0) == b"v3"
    assert db.read_version("/a", 1) == b"v2"
    assert db.read_version("/a", 2) == b"v1"
    with pytest.raises(streamdb.NotFoundError):
        db.read_version("/a", 3)
    with pytest.raises(streamdb.InvalidArgumentError):
        db.read_version("/a", -1)
    with pytest.raises(streamdb.NotFoundError):
        db.read_version("/missing", 0)


def test_stat_reports_id_size_version_and_paths(db: streamdb.Database) -> None:
    doc = db.write("/a", b"12345")
    info = db.stat("/a")
    assert isinstance(info, streamdb.DocumentInfo)
    assert (info.id, info.size, info.version, info.path_count) == (doc, 5, 1, 1)
    assert info.versions_kept == 0
    db.write("/a", b"123")
    db.bind(doc, "/b")
    info = db.stat("/b")
    assert (info.id, info.size, info.version, info.path_count, info.versions_kept) == (doc, 3, 2, 2, 1)
    with pytest.raises(streamdb.NotFoundError):
        db.stat("/missing")


def test_delete_unbinds_the_path(db: streamdb.Database) -> None:
    db.write("/a", b"1")
    db.delete("/a")
    assert "/a" not in db
    with pytest.raises(streamdb.NotFoundError):
        db.delete("/a")


def test_delete_keeps_a_document_that_has_another_path(db: streamdb.Database) -> None:
    doc = db.write("/a", b"1")
    db.bind(doc, "/b")
    db.delete("/a")
    assert db.read("/b") == b"1"
    assert db.paths(doc) == ["/b"]


def test_delete_id_removes_the_document_and_all_its_paths(db: streamdb.Database) -> None:
    doc = db.write("/a", b"1")
    db.bind(doc, "/b")
    db.write("/c", b"other")
    db.delete_id(doc)
    assert list(db.search("")) == ["/c"]
    with pytest.raises(streamdb.NotFoundError):
        db.delete_id(doc)
    with pytest.raises(streamdb.NotFoundError):
        db.paths(doc)


def test_get_id_of_a_missing_path_raises_not_found(db: streamdb.Database) -> None:
    with pytest.raises(streamdb.NotFoundError):
        db.get_id("/missing")
