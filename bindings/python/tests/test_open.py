"""open(), open_memory(), options, close and the library itself."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import streamdb


# libstreamdb 0.1.0 refuses STREAMDB_OPEN_COMPRESS ("compression is not available yet"), although
# the C ABI contract defines it (Snappy) and the engine has DatabaseOptions.Compress: the native
# layer (src/StreamDb.Native/Runtime/OptionsReader.cs, ApplyFlags) still rejects the flag. These
# cases are expected to fail until it passes the flag on; they then XPASS with no change here.
COMPRESS_REFUSED_BY_NATIVE_LAYER = pytest.mark.xfail(
    raises=streamdb.InvalidArgumentError, strict=False,
    reason="libstreamdb: the native layer rejects STREAMDB_OPEN_COMPRESS (OptionsReader.ApplyFlags)")


def test_open_creates_the_file_and_data_survives_reopening(db_file: Path) -> None:
    with streamdb.open(db_file) as db:
        db.write("/greeting", b"hello")
        assert db.file == str(db_file)
        assert not db.read_only
    assert db_file.exists()
    with streamdb.open(db_file) as db:
        assert db.read("/greeting") == b"hello"


def test_open_accepts_str_bytes_and_pathlike(tmp_path: Path) -> None:
    for name in (str(tmp_path / "a.sdb"), os.fsencode(tmp_path / "b.sdb"), tmp_path / "c.sdb"):
        with streamdb.open(name, no_sync=True) as db:
            db["/x"] = b"1"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".sdb") == ["a.sdb", "b.sdb", "c.sdb"]


def test_with_block_closes_the_database(db_file: Path) -> None:
    with streamdb.open(db_file, no_sync=True) as db:
        assert not db.closed
    assert db.closed


def test_close_twice_is_harmless(db_file: Path) -> None:
    db = streamdb.open(db_file, no_sync=True)
    db.close()
    db.close()
    assert db.closed


def test_every_call_on_a_closed_database_raises_invalid_argument(db_file: Path) -> None:
    db = streamdb.open(db_file, no_sync=True)
    db.write("/a", b"1")
    doc = db.get_id("/a")
    db.close()
    calls = [
        lambda: db.write("/a", b"2"), lambda: db.read("/a"), lambda: db.read_into("/a", 0, bytearray(1)),
        lambda: db.read_version("/a", 0), lambda: db.stat("/a"), lambda: db.delete("/a"),
        lambda: db.delete_id(doc), lambda: db.get_id("/a"), lambda: db.bind(doc, "/b"),
        lambda: db.unbind(doc, "/a"), lambda: db.paths(doc), lambda: db.search(""),
        lambda: db.reader("/a"), lambda: db.writer("/a"), lambda: db.batch(), lambda: db.read_async("/a"),
        lambda: db.snapshot(), lambda: db.stats(), lambda: db.verify(), lambda: db.flush(),
        lambda: db.compact(), lambda: db["/a"], lambda: "/a" in db, lambda: len(db),
    ]
    for call in calls:
        with pytest.raises(streamdb.InvalidArgumentError) as caught:
            call()
        assert isinstance(caught.value, ValueError)
        assert "closed" in str(caught.value)


def test_no_create_refuses_a_missing_file_and_creates_nothing(db_file: Path) -> None:
    with pytest.raises(streamdb.NotFoundError):
        streamdb.open(db_file, no_create=True)
    assert not db_file.exists()


def test_no_create_opens_an_existing_file(db_file: Path) -> None:
    with streamdb.open(db_file, no_sync=True) as db:
        db["/a"] = b"1"
    with streamdb.open(db_file, no_create=True, no_sync=True) as db:
        assert db["/a"] == b"1"


def test_read_only_reads_but_refuses_writes(db_file: Path) -> None:
    with streamdb.open(db_file, no_sync=True) as db:
        db["/a"] = b"1"
    with streamdb.open(db_file, read_only=True) as db:
        assert db.read_only
        assert db["/a"] == b"1"
        with pytest.raises(streamdb.ReadOnlyError):
            db.write("/a", b"2")
        with pytest.raises(streamdb.ReadOnlyError):
            db.delete("/a")
        with pytest.raises(streamdb.ReadOnlyError):
            with db.batch() as batch:
                batch.write("/b", b"3")
        assert db["/a"] == b"1"
        assert "/b" not in db


def test_read_only_does_not_create_a_missing_file(db_file: Path) -> None:
    with pytest.raises(streamdb.NotFoundError):
        streamdb.open(db_file, read_only=True)
    assert not db_file.exists()


def test_a_second_writer_on_the_same_file_is_busy(db_file: Path) -> None:
    with streamdb.open(db_file, no_sync=True):
        with pytest.raises(streamdb.BusyError) as caught:
            streamdb.open(db_file, no_sync=True)
        assert caught.value.status == -8


def test_read_only_open_while_a_writer_holds_the_file_is_busy(db_file: Path) -> None:
    with streamdb.open(db_file, no_sync=True) as db:
        db["/a"] = b"1"
        with pytest.raises(streamdb.BusyError):
            streamdb.open(db_file, read_only=True)


def test_closing_releases_the_file_lock(db_file: Path) -> None:
    streamdb.open(db_file, no_sync=True).close()
    streamdb.open(db_file, no_sync=True).close()


def test_page_size_option_is_used_for_a_new_file(db_file: Path) -> None:
    with streamdb.open(db_file, page_size=4096, no_sync=True) as db:
        assert db.stats().page_size == 4096
    with streamdb.open(db_file, page_size=16384, no_sync=True) as db:
        assert db.stats().page_size == 4096  # fixed at creation


def test_default_page_size_is_8192(db: streamdb.Database) -> None:
    assert db.stats().page_size == 8192


@pytest.mark.parametrize("page_size", [1000, 3000, 4095, 131072])
def test_a_page_size_the_library_rejects_raises_invalid_argument(db_file: Path, page_size: int) -> None:
    with pytest.raises(streamdb.InvalidArgumentError):
        streamdb.open(db_file, page_size=page_size)
    assert not db_file.exists()


@pytest.mark.parametrize("option, value", [
    ("page_size", -1), ("page_size", 2**32), ("max_document_size", -5), ("max_db_size", 2**64),
    ("page_cache_pages", -1), ("versions_to_keep", -2), ("versions_to_keep", 2**31),
    ("flush_interval_ms", -1),
])
def test_an_option_that_does_not_fit_its_c_field_raises_invalid_argument(db_file: Path, option: str,
                                                                          value: int) -> None:
    with pytest.raises(streamdb.InvalidArgumentError, match=option):
        streamdb.open(db_file, **{option: value})
    assert not db_file.exists()


def test_a_non_integer_option_raises_type_error(db_file: Path) -> None:
    with pytest.raises(TypeError):
        streamdb.open(db_file, page_size="8192")  # type: ignore[arg-type]


def test_an_unknown_option_raises_type_error(db_file: Path) -> None:
    with pytest.raises(TypeError):
        streamdb.open(db_file, pagesize=8192)  # type: ignore[call-arg]


def test_max_document_size_limits_documents(db_file: Path) -> None:
    with streamdb.open(db_file, max_document_size=1000, no_sync=True) as db:
        db.write("/fits", bytes(1000))
        with pytest.raises(streamdb.TooLargeError):
            db.write("/too-big", bytes(1001))
        assert "/too-big" not in db


def test_max_db_size_limits_the_file(db_file: Path) -> None:
    with streamdb.open(db_file, max_db_size=256 * 1024, page_size=4096, no_sync=True) as db:
        with pytest.raises(streamdb.FullError):
            for i in range(1000):
                db.write(f"/doc/{i}", bytes(16 * 1024))
        db.verify()
    assert db_file.stat().st_size <= 256 * 1024


def test_versions_to_keep_bounds_the_readable_history(db_file: Path) -> None:
    with streamdb.open(db_file, versions_to_keep=0, no_sync=True) as db:
        db.write("/a", b"v1")
        db.write("/a", b"v2")
        db.flush()
        with pytest.raises(streamdb.NotFoundError):
            db.read_version("/a", 1)
    with streamdb.open(db_file.with_suffix(".keep3"), versions_to_keep=3, no_sync=True) as db:
        for version in range(1, 6):
            db.write("/a", f"v{version}".encode())
        db.flush()
        assert [db.read_version("/a", back) for back in range(4)] == [b"v5", b"v4", b"v3", b"v2"]
        with pytest.raises(streamdb.NotFoundError):
            db.read_version("/a", 4)


@pytest.mark.parametrize("options", [
    {"page_cache_pages": 16}, {"quick": True}, {"no_sync": True},
    pytest.param({"compress": True}, marks=COMPRESS_REFUSED_BY_NATIVE_LAYER),
    {"flush_interval_ms": 20}, {"max_db_size": 1 << 30, "max_document_size": 1 << 20},
])
def test_documents_round_trip_under_every_option(db_file: Path, options: dict) -> None:
    data = b"streamdb " * 5000 + bytes(range(256)) * 50
    with streamdb.open(db_file, **options) as db:
        for i in range(50):
            db.write(f"/docs/{i}", data + str(i).encode())
    with streamdb.open(db_file, **options) as db:
        for i in range(50):
            assert db.read(f"/docs/{i}") == data + str(i).encode()
        db.verify()


@COMPRESS_REFUSED_BY_NATIVE_LAYER
def test_compress_makes_compressible_documents_smaller(tmp_path: Path) -> None:
    data = b"all work and no play makes jack a dull boy " * 20000
    sizes = {}
    for compress in (False, True):
        target = tmp_path / f"compress-{compress}.sdb"
        with streamdb.open(target, compress=compress, no_sync=True) as db:
            db.write("/text", data)
            assert db.read("/text") == data
            sizes[compress] = db.stats().file_bytes
    print(f"file bytes without compression {sizes[False]}, with {sizes[True]}")
    assert sizes[True] < sizes[False]


def test_open_memory_touches_no_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with streamdb.open_memory() as db:
        assert db.file is None
        db.write("/a", b"1")
        assert db.read("/a") == b"1"
        assert "memory" in repr(db)
    assert list(tmp_path.iterdir()) == []


def test_open_memory_accepts_options() -> None:
    with streamdb.open_memory(page_size=4096, max_document_size=10, versions_to_keep=1,
                              page_cache_pages=8, quick=True) as db:
        assert db.stats().page_size == 4096
        with pytest.raises(streamdb.TooLargeError):
            db.write("/a", bytes(11))


@COMPRESS_REFUSED_BY_NATIVE_LAYER
def test_open_memory_compresses_when_asked() -> None:
    data = b"compressible " * 10000
    with streamdb.open_memory(compress=True) as db:
        db.write("/a", data)
        assert db.read("/a") == data


def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(streamdb.StreamDbIOError) as caught:
        streamdb.open(tmp_path)
    assert isinstance(caught.value, OSError)
    assert caught.value.status == -1


def test_library_version_is_major_minor_patch() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", streamdb.library_version())


def test_library_path_names_the_loaded_file() -> None:
    assert os.path.exists(streamdb.library_path()) or streamdb.library_path() == "libstreamdb.so"


def test_repr_says_what_the_database_is(db_file: Path) -> None:
    db = streamdb.open(db_file, no_sync=True)
    assert str(db_file) in repr(db)
    db.close()
    assert "closed" in repr(db)
