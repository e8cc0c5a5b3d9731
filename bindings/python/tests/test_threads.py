"""Many Python threads on one database: correctness, and reads run in parallel (GIL released)."""

from __future__ import annotations

import os
import random
import threading
import time
from typing import Callable, List

import streamdb

from conftest import seeded

THREADS = 8


def payload(path: str, version: int, size: int) -> bytes:
    header = f"{path}#{version}#".encode()
    body = bytes([version % 251]) * (size - len(header))
    return header + body


def check_payload(path: str, data: bytes) -> int:
    """The version a self-describing payload claims; asserts the payload is intact."""
    name, version, _ = data.split(b"#", 2)
    assert name.decode() == path
    assert data == payload(path, int(version), len(data))
    return int(version)


def run_threads(target: Callable[[int], None], count: int = THREADS) -> None:
    errors: List[BaseException] = []

    def guarded(index: int) -> None:
        try:
            target(index)
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def test_eight_threads_reading_and_writing_at_once_see_consistent_documents(file_db: streamdb.Database) -> None:
    seed = seeded("threads", 4242)
    paths = [f"/shared/{i}" for i in range(32)]
    for path in paths:
        file_db.write(path, payload(path, 0, 20_000))
    latest = {path: 0 for path in paths}
    lock = threading.Lock()

    def worker(index: int) -> None:
        rng = random.Random(seed + index)
        for step in range(300):
            path = rng.choice(paths)
            if index % 2 == 0:  # writers: only this thread writes its own slice of paths
                mine = paths[index // 2::THREADS // 2]
                path = rng.choice(mine)
                with lock:
                    version = latest[path] + 1
                    latest[path] = version
                file_db.write(path, payload(path, version, rng.randrange(100, 40_000)))
            elif step % 3 == 0:
                with file_db.reader(path) as reader:
                    check_payload(path, reader.read())
            elif step % 3 == 1:
                assert len(list(file_db.search("/shared/"))) == len(paths)
            else:
                check_payload(path, file_db.read(path))

    run_threads(worker)
    for path in paths:
        assert check_payload(path, file_db.read(path)) == latest[path]
    file_db.verify()


def test_threads_share_batches_writers_and_async_reads(db: streamdb.Database) -> None:
    def worker(index: int) -> None:
        with db.batch() as batch:
            for i in range(50):
                batch.write(f"/t{index}/{i}", bytes([index]) * 100)
        with db.writer(f"/t{index}/stream") as writer:
            for _ in range(20):
                writer.write(bytes([index]) * 1000)
        futures = [db.read_async(f"/t{index}/{i}") for i in range(50)]
        assert all(f.result(timeout=60) == bytes([index]) * 100 for f in futures)

    run_threads(worker)
    assert len(db) == THREADS * 51


def test_reads_from_eight_threads_run_in_parallel(file_db: streamdb.Database) -> None:
    """Prints the measured speedup; timing is not asserted (the machine may be shared)."""
    documents = [f"/speed/{i}" for i in range(64)]
    data = bytes(range(256)) * 1024  # 256 KiB
    for path in documents:
        file_db.write(path, data)

    def read_many(index: int, count: int) -> None:
        for i in range(count):
            assert len(file_db.read(documents[(index * 7 + i) % len(documents)])) == len(data)

    read_many(0, 50)  # warm the page cache
    # Size the run to take about half a second on one thread, so the timing means something.
    start = time.perf_counter()
    calibration = 0
    while time.perf_counter() - start < 0.1:
        read_many(0, 10)
        calibration += 10
    reads_per_thread = max(10, calibration * 5 // THREADS)
    total = reads_per_thread * THREADS
    start = time.perf_counter()
    read_many(0, total)
    single = time.perf_counter() - start
    start = time.perf_counter()
    run_threads(lambda index: read_many(index, reads_per_thread))
    parallel = time.perf_counter() - start
    mb = total * len(data) / 1e6
    print(f"{total} reads of 256 KiB on {os.cpu_count()} CPUs: 1 thread {single:.3f}s ({mb / single:.0f} MB/s), "
          f"{THREADS} threads {parallel:.3f}s ({mb / parallel:.0f} MB/s): speedup {single / parallel:.2f}x")
