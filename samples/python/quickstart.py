#!/usr/bin/env python3
"""StreamDb quickstart for Python: store, read, stream, search and batch documents.

Run from a checkout after ./build.sh:   python3 samples/python/quickstart.py [DATABASE-FILE]
(or after `pip install bindings/python`, with STREAMDB_LIBRARY pointing at libstreamdb.so).
"""

import sys
import tempfile
from pathlib import Path

try:
    import streamdb
except ImportError:  # running from a checkout without installing the package
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bindings" / "python" / "src"))
    import streamdb


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "quickstart.sdb"
    print(f"libstreamdb {streamdb.library_version()}, database {target}")

    with streamdb.open(target) as db:
        # Whole documents: write returns the document's id; the mapping operators work too.
        doc_id = db.write("/notes/hello.txt", b"Hello, StreamDb!")
        db["/notes/todo.txt"] = b"1. read the docs\n2. write code\n"
        print(f"wrote /notes/hello.txt as {doc_id}: {db['/notes/hello.txt']!r}")

        # A new version keeps the id; the previous one stays readable.
        db.write("/notes/hello.txt", b"Hello again, StreamDb!")
        print(f"now {db.read('/notes/hello.txt')!r}, before {db.read_version('/notes/hello.txt', 1)!r}")

        # Another path for the same document.
        db.bind(doc_id, "/inbox/hello.txt")
        print(f"{doc_id} is bound to {db.paths(doc_id)}")

        # Streaming: a writer commits when the block ends; a reader is a binary file.
        with db.writer("/blobs/big.bin") as writer:
            for block in range(64):
                writer.write(bytes([block]) * 65536)
        with db.reader("/blobs/big.bin") as reader:
            reader.seek(-4, 2)
            print(f"/blobs/big.bin: {reader.size} bytes, last 4 bytes {reader.read().hex(' ')}")

        # Atomic batches: everything or nothing.
        with db.batch() as batch:
            for n in range(3):
                batch.write(f"/notes/day-{n}.txt", f"entry {n}".encode())

        # Prefix search, lazily, in byte order.
        for path in db.search("/notes/"):
            info = db.stat(path)
            print(f"  {path:<20} {info.size:>6} bytes, version {info.version}")

        # Errors are exceptions: a missing path is a KeyError too.
        try:
            db.read("/does/not/exist")
        except streamdb.NotFoundError as error:
            print(f"NotFoundError (status {error.status}): {error}")

        # Background reads return concurrent.futures.Future objects.
        future = db.read_async("/notes/todo.txt")
        print(f"async read: {future.result()!r}")

        db.verify()
        stats = db.stats()
        print(f"{stats.documents} documents under {stats.paths} paths, {stats.file_bytes} bytes on disk")


if __name__ == "__main__":
    main()
