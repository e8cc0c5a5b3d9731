"""Paths: search, bind, unbind, paths(id)."""

from __future__ import annotations

import uuid

import pytest

import streamdb


def fill(db: streamdb.Database, *paths: str) -> None:
    for path in paths:
        db.write(path, path.encode())


def test_search_yields_matching_paths_in_byte_order(db: streamdb.Database) -> None:
    fill(db, "/b/2", "/a", "/b/1", "/b", "/ba", "/c", "/B", "/b/é", "/b/z")
    assert list(db.search("/b")) == ["/b", "/b/1", "/b/2", "/b/z", "/b/é", "/ba"]
    assert list(db.search("/b/")) == ["/b/1", "/b/2", "/b/z", "/b/é"]


def test_search_includes_the_exact_match(db: streamdb.Database) -> None:
    fill(db, "/doc", "/document")
    assert list(db.search("/doc")) == ["/doc", "/document"]
    assert list(db.search("/document")) == ["/document"]


def test_an_empty_prefix_lists_every_path(db: streamdb.Database) -> None:
    fill(db, "/z", "/a", "x")
    assert list(db.search("")) == ["/a", "/z", "x"]
    assert list(db.search()) == ["/a", "/z", "x"]
    assert list(db) == ["/a", "/z", "x"]


def test_search_without_matches_yields_nothing(db: streamdb.Database) -> None:
    fill(db, "/a")
    assert list(db.search("/nothing")) == []
    assert list(db.search("")) == ["/a"]
    db.delete("/a")
    assert list(db.search("")) == []


def test_search_accepts_a_bytes_prefix_and_yields_str(db: streamdb.Database) -> None:
    fill(db, "/ü/1")
    assert list(db.search("/ü".encode())) == ["/ü/1"]


def test_search_is_lazy_and_sees_the_paths_as_of_the_call(db: streamdb.Database) -> None:
    fill(db, "/1", "/2", "/3")
    paths = db.search("/")
    assert isinstance(paths, streamdb.PathIterator)
    assert iter(paths) is paths
    assert next(paths) == "/1"
    db.write("/0", b"added later")
    db.write("/4", b"added later")
    db.delete("/3")
    assert list(paths) == ["/2", "/3"]
    assert list(paths) == []


def test_a_search_iterator_can_be_closed_early(db: streamdb.Database) -> None:
    fill(db, "/1", "/2")
    with db.search("/") as paths:
        assert next(paths) == "/1"
    assert list(paths) == []
    paths = db.search("/")
    paths.close()
    paths.close()
    with pytest.raises(StopIteration):
        next(paths)


def test_many_unfinished_searches_are_freed(db: streamdb.Database) -> None:
    fill(db, "/1", "/2")
    for _ in range(2000):
        assert next(db.search("/")) == "/1"


def test_search_with_an_invalid_prefix_raises_at_the_call(db: streamdb.Database) -> None:
    with pytest.raises(streamdb.InvalidArgumentError):
        db.search("a\0")
    with pytest.raises(TypeError):
        db.search(1)  # type: ignore[arg-type]


def test_bind_adds_a_path_to_an_existing_document(db: streamdb.Database) -> None:
    doc = db.write("/original", b"data")
    db.bind(doc, "/alias")
    assert db.read("/alias") == b"data"
    assert db.get_id("/alias") == doc
    assert db.paths(doc) == ["/alias", "/original"]
    db.write("/alias", b"new")
    assert db.read("/original") == b"new"


def test_bind_accepts_the_id_as_16_bytes(db: streamdb.Database) -> None:
    doc = db.write("/a", b"1")
    db.bind(doc.bytes, "/b")
    assert db.paths(doc.bytes) == ["/a", "/b"]


def test_bind_rebinds_a_path_taken_by_another_document_and_deletes_the_orphan(db: streamdb.Database) -> None:
    first = db.write("/a", b"first")
    second = db.write("/b", b"second")
    db.bind(first, "/b")
    assert db.read("/b") == b"first"
    assert db.paths(first) == ["/a", "/b"]
    with pytest.raises(streamdb.NotFoundError):
        db.paths(second)


def test_bind_to_an_unknown_document_raises_not_found(db: streamdb.Database) -> None:
    with pytest.raises(streamdb.NotFoundError):
        db.bind(uuid.uuid4(), "/a")
    assert "/a" not in db


def test_an_id_of_the_wrong_shape_is_refused(db: streamdb.Database) -> None:
    with pytest.raises(streamdb.InvalidArgumentError):
        db.bind(b"short", "/a")
    with pytest.raises(TypeError):
        db.bind(str(uuid.uuid4()), "/a")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        db.paths(12)  # type: ignore[arg-type]


def test_unbind_keeps_the_document_reachable_by_id(db: streamdb.Database) -> None:
    doc = db.write("/a", b"kept")
    db.unbind(doc, "/a")
    assert "/a" not in db
    assert db.paths(doc) == []
    db.bind(doc, "/again")
    assert db.read("/again") == b"kept"


def test_unbind_of_a_path_the_document_does_not_have_raises_not_found(db: streamdb.Database) -> None:
    doc = db.write("/a", b"1")
    db.write("/b", b"2")
    with pytest.raises(streamdb.NotFoundError):
        db.unbind(doc, "/b")
    with pytest.raises(streamdb.NotFoundError):
        db.unbind(doc, "/missing")
    assert db.read("/b") == b"2"


def test_paths_of_an_unknown_document_raises_not_found(db: streamdb.Database) -> None:
    with pytest.raises(streamdb.NotFoundError):
        db.paths(uuid.uuid4())
