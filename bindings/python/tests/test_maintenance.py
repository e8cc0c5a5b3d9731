"""snapshot, stats, verify, flush, compact, and corruption detection."""

from __future__ import annotations

from pathlib import Path

import pytest

import streamdb


def test_a_snapshot_does_not_see_later_writes(db: streamdb.Database) -> None:
    db.write("/a", b"before")
    with db.snapshot() as snapshot:
        assert snapshot.read_only
        db.write("/a", b"after")
        db.write("/b", b"new")
        assert snapshot.read("/a") == b"before"
        assert "/b" not in snapshot
        assert list(snapshot.search("")) == ["/a"]
        assert db.read("/a") == b"after"
        assert "snapshot" in repr(snapshot)
    assert snapshot.closed
    assert not db.closed


def test_a_snapshot_refuses_writes(db: streamdb.Database) -> None:
    db.write("/a", b"1")
    with db.snapshot() as snapshot:
        with pytest.raises(streamdb.ReadOnlyError) as caught:
            snapshot.write("/a", b"2")
        assert caught.value.status == -9
        with pytest.raises(streamdb.ReadOnlyError):
            snapshot.delete("/a")
    assert db.read("/a") == b"1"


def test_a_snapshot_supports_readers_and_async_reads(db: streamdb.Database) -> None:
    db.write("/a", b"snap")
    with db.snapshot() as snapshot:
        db.write("/a", b"changed")
        with snapshot.reader("/a") as reader:
            assert reader.read() == b"snap"
        assert snapshot.read_async("/a").result(timeout=30) == b"snap"
        assert snapshot.stat("/a").size == 4


def test_stats_count_documents_and_paths(db: streamdb.Database) -> None:
    empty = db.stats()
    assert isinstance(empty, streamdb.Stats)
    assert (empty.documents, empty.paths) == (0, 0)
    doc = db.write("/a", b"1")
    db.bind(doc, "/b")
    db.write("/c", bytes(100_000))
    stats = db.stats()
    assert (stats.documents, stats.paths) == (2, 3)
    assert stats.page_size == 8192
    assert stats.total_pages >= stats.free_pages
    assert stats.total_pages > 0
    assert stats.cache_hits >= 0 and stats.cache_misses >= 0


def test_stats_file_bytes_follow_the_file(file_db: streamdb.Database, db_file: Path) -> None:
    file_db.write("/big", bytes(1_000_000))
    file_db.flush()
    assert file_db.stats().file_bytes == db_file.stat().st_size
    assert file_db.stats().file_bytes >= 1_000_000


def test_verify_passes_on_a_healthy_database(db: streamdb.Database) -> None:
    for i in range(200):
        db.write(f"/v/{i}", bytes([i % 256]) * (i * 97))
    db.verify()


def test_flush_makes_commits_durable_with_a_flush_interval(db_file: Path) -> None:
    db = streamdb.open(db_file, flush_interval_ms=60_000)
    db.write("/a", b"1")
    db.flush()
    db.close()
    with streamdb.open(db_file) as reopened:
        assert reopened.read("/a") == b"1"


def test_flush_collects_old_versions(db: streamdb.Database) -> None:
    for version in range(10):
        db.write("/a", bytes([version]) * 50_000)
    db.flush()
    assert db.stat("/a").versions_kept <= 2
    with pytest.raises(streamdb.NotFoundError):
        db.read_version("/a", 3)


def test_compact_returns_free_space_to_the_file_system(file_db: streamdb.Database, db_file: Path) -> None:
    for i in range(50):
        file_db.write(f"/tmp/{i}", bytes(100_000))
    file_db.flush()
    before = db_file.stat().st_size
    for i in range(50):
        file_db.delete(f"/tmp/{i}")
    file_db.flush()
    file_db.compact()
    after = db_file.stat().st_size
    print(f"file size before compact {before}, after {after}")
    assert after < before
    file_db.verify()
    file_db.write("/still/works", b"yes")
    assert file_db.read("/still/works") == b"yes"


def test_corrupted_data_is_detected(db_file: Path) -> None:
    payload = bytes(range(256)) * 400
    with streamdb.open(db_file) as db:
        for i in range(20):
            db.write(f"/doc/{i}", payload)
    raw = bytearray(db_file.read_bytes())
    # Flip bytes well inside the data pages, away from the file header.
    for offset in range(len(raw) // 3, len(raw) - 64, max(1, len(raw) // 50)):
        raw[offset] ^= 0xFF
    db_file.write_bytes(bytes(raw))
    with pytest.raises(streamdb.CorruptedError) as caught:
        with streamdb.open(db_file) as db:
            db.verify()
    assert caught.value.status == -5
    assert caught.value.message
    print(f"detected: {caught.value}")


def damage_one_data_byte(db_file: Path, payload: bytes) -> None:
    """Store payload at /doc, then flip one byte of its data in the file."""
    with streamdb.open(db_file) as db:
        db.write("/doc", payload)
        # Later commits: damage to the newest commit's pages reads as a commit whose sync never
        # completed, and recovery falls back to the previous root (docs/FORMAT.md, recovery).
        for i in range(5):
            db.write(f"/later/{i}", b"x")
    raw = bytearray(db_file.read_bytes())
    position = raw.find(payload[:4096], 8192)
    assert position > 0
    raw[position + 100] ^= 0xFF
    db_file.write_bytes(bytes(raw))


def test_reads_of_corrupted_data_raise_corrupted(db_file: Path) -> None:
    damage_one_data_byte(db_file, b"\x5a" * 200_000)
    with streamdb.open(db_file) as db:
        with pytest.raises(streamdb.CorruptedError):
            db.read("/doc")
        with pytest.raises(streamdb.CorruptedError):
            db.verify()
        assert db.read("/later/0") == b"x"


def test_quick_mode_skips_crc_checks_on_reads(db_file: Path) -> None:
    payload = b"\x5a" * 200_000
    damage_one_data_byte(db_file, payload)
    with streamdb.open(db_file, quick=True) as db:
        damaged = db.read("/doc")
    assert len(damaged) == len(payload) and damaged != payload


def test_closing_a_database_releases_everything_made_from_it(db_file: Path) -> None:
    db = streamdb.open(db_file, no_sync=True)
    db.write("/a", bytes(100_000))
    reader = db.reader("/a")
    paths = db.search("")
    writer = db.writer("/written")
    writer.write(b"never committed")
    batch = db.batch()
    batch.write("/batched", b"never committed")
    snapshot = db.snapshot()
    db.close()
    assert snapshot.closed
    snapshot.close()  # already released with its database: harmless
    for call in (lambda: reader.read(10), lambda: next(paths), lambda: writer.write(b"x"), writer.close,
                 batch.commit, lambda: snapshot.read("/a")):
        with pytest.raises(streamdb.InvalidArgumentError):
            call()
    reader.close()
    paths.close()
    with streamdb.open(db_file, no_sync=True) as reopened:
        assert list(reopened.search("")) == ["/a"]
