"""db.reader(): the io.RawIOBase conventions."""

from __future__ import annotations

import io
import shutil

import pytest

import streamdb

DATA = bytes(range(256)) * 1000  # 256000 bytes: several pages, several chunks


@pytest.fixture
def reader(db: streamdb.Database):
    db.write("/data", DATA)
    with db.reader("/data") as opened:
        yield opened


def test_reader_is_a_readable_seekable_raw_binary_file(reader: streamdb.Reader) -> None:
    assert isinstance(reader, io.RawIOBase)
    assert reader.readable() and reader.seekable() and not reader.writable()
    assert reader.mode == "rb"
    assert reader.name == "/data"
    assert reader.size == len(DATA)
    assert not reader.closed
    assert reader.tell() == 0
    with pytest.raises(io.UnsupportedOperation):
        reader.fileno()
    with pytest.raises((io.UnsupportedOperation, OSError)):
        reader.write(b"x")


def test_read_minus_one_and_read_none_read_everything(reader: streamdb.Reader) -> None:
    assert reader.read(-1) == DATA
    assert reader.read(-1) == b""
    reader.seek(0)
    assert reader.read() == DATA
    reader.seek(10)
    assert reader.read(None) == DATA[10:]
    reader.seek(0)
    assert reader.readall() == DATA


def test_read_n_returns_n_bytes_until_the_end(reader: streamdb.Reader) -> None:
    assert reader.read(0) == b""
    assert reader.read(10) == DATA[:10]
    assert reader.read(100_000) == DATA[10:100_010]
    assert reader.tell() == 100_010
    assert reader.read(len(DATA)) == DATA[100_010:]
    assert reader.read(10) == b""


def test_readinto_fills_a_buffer_and_returns_the_count(reader: streamdb.Reader) -> None:
    buffer = bytearray(1000)
    assert reader.readinto(buffer) == 1000
    assert buffer == DATA[:1000]
    view = memoryview(buffer)[100:200]
    assert reader.readinto(view) == 100
    assert buffer[100:200] == DATA[1000:1100]
    reader.seek(-50, io.SEEK_END)
    assert reader.readinto(buffer) == 50
    assert buffer[:50] == DATA[-50:]
    assert reader.readinto(buffer) == 0
    assert reader.readinto(bytearray()) == 0


def test_readinto_refuses_a_read_only_buffer(reader: streamdb.Reader) -> None:
    with pytest.raises(TypeError):
        reader.readinto(b"immutable")


def test_seek_supports_every_whence_and_returns_the_position(reader: streamdb.Reader) -> None:
    assert reader.seek(1000) == 1000
    assert reader.read(4) == DATA[1000:1004]
    assert reader.seek(10, io.SEEK_CUR) == 1014
    assert reader.read(4) == DATA[1014:1018]
    assert reader.seek(-8, io.SEEK_CUR) == 1010
    assert reader.read(4) == DATA[1010:1014]
    assert reader.seek(-3, io.SEEK_END) == len(DATA) - 3
    assert reader.read() == DATA[-3:]
    assert reader.seek(0, io.SEEK_END) == len(DATA)
    assert reader.read(5) == b""
    assert reader.seek(0) == 0
    assert reader.read(3) == DATA[:3]
    assert reader.tell() == 3


def test_seek_back_and_forth_across_chunks(reader: streamdb.Reader) -> None:
    for offset in (200_000, 5, 131_071, 8191, 8192, 8193, 255_999, 0):
        reader.seek(offset)
        assert reader.read(300) == DATA[offset:offset + 300]


def test_seek_past_the_end_is_allowed_and_reads_nothing(reader: streamdb.Reader) -> None:
    assert reader.seek(len(DATA) + 100) == len(DATA) + 100
    assert reader.tell() == len(DATA) + 100
    assert reader.read() == b""
    assert reader.readinto(bytearray(5)) == 0
    assert list(reader) == []
    reader.seek(-1, io.SEEK_END)
    assert reader.read() == DATA[-1:]


def test_seek_to_a_negative_position_or_with_a_bad_whence_raises_value_error(reader: streamdb.Reader) -> None:
    with pytest.raises(ValueError):
        reader.seek(-1)
    with pytest.raises(ValueError):
        reader.seek(-len(DATA) - 1, io.SEEK_END)
    with pytest.raises(ValueError):
        reader.seek(0, 3)
    assert reader.tell() == 0


def test_iterating_yields_chunks_that_join_to_the_document(reader: streamdb.Reader) -> None:
    chunks = list(reader)
    assert len(chunks) > 1
    assert all(type(chunk) is bytes and chunk for chunk in chunks)
    assert b"".join(chunks) == DATA
    assert reader.tell() == len(DATA)


def test_iteration_starts_at_the_current_position(reader: streamdb.Reader) -> None:
    reader.seek(100_001)
    assert b"".join(reader) == DATA[100_001:]
    reader.seek(7)
    chunk = next(reader)
    assert chunk and chunk == DATA[7:reader.tell()]


def test_closed_reader_follows_io_conventions(db: streamdb.Database) -> None:
    db.write("/a", b"abc")
    reader = db.reader("/a")
    reader.close()
    reader.close()
    assert reader.closed
    for call in (reader.read, lambda: reader.readinto(bytearray(1)), lambda: reader.seek(0), reader.tell,
                 reader.readable, reader.seekable, lambda: next(reader), lambda: iter(reader)):
        with pytest.raises(ValueError):
            call()


def test_with_block_closes_the_reader(db: streamdb.Database) -> None:
    db.write("/a", b"abc")
    with db.reader("/a") as reader:
        assert reader.read() == b"abc"
    assert reader.closed


def test_a_reader_keeps_reading_the_version_it_opened(db: streamdb.Database) -> None:
    db.write("/a", DATA)
    with db.reader("/a") as reader:
        head = reader.read(1000)
        db.write("/a", b"replaced")
        assert head + reader.read() == DATA
    with db.reader("/a") as reader:
        db.delete("/a")
        assert reader.read() == b"replaced"


def test_a_reader_of_a_missing_path_raises_not_found(db: streamdb.Database) -> None:
    with pytest.raises(streamdb.NotFoundError):
        db.reader("/missing")


def test_an_empty_document_reads_as_empty(db: streamdb.Database) -> None:
    db.write("/empty", b"")
    with db.reader("/empty") as reader:
        assert reader.size == 0
        assert reader.read() == b""
        assert list(reader) == []
        assert reader.read(1) == b""


def test_reader_works_with_buffered_and_text_wrappers(db: streamdb.Database) -> None:
    text = "".join(f"line {i}: ünïcödé\n" for i in range(5000))
    db.write("/text", text.encode("utf-8"))
    with io.TextIOWrapper(io.BufferedReader(db.reader("/text")), encoding="utf-8") as lines:
        assert lines.readline() == "line 0: ünïcödé\n"
        assert lines.read() == text[len("line 0: ünïcödé\n"):]
    with db.reader("/text") as reader:
        assert reader.readline() == b"line 0: \xc3\xbcn\xc3\xafc\xc3\xb6d\xc3\xa9\n"


def test_shutil_copyfileobj_streams_a_reader(db: streamdb.Database) -> None:
    db.write("/a", DATA)
    target = io.BytesIO()
    with db.reader("/a") as reader:
        shutil.copyfileobj(reader, target, 10_000)
    assert target.getvalue() == DATA


def test_reader_repr_shows_the_position(reader: streamdb.Reader) -> None:
    reader.read(5)
    assert "/data" in repr(reader) and "at 5" in repr(reader)
