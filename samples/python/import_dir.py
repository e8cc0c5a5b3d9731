#!/usr/bin/env python3
"""Import a folder tree into a StreamDb database, then list it by prefix.

    python3 samples/python/import_dir.py DATABASE DIRECTORY [PREFIX]   import, then list PREFIX
    python3 samples/python/import_dir.py --list DATABASE [PREFIX]        only list

Every file under DIRECTORY becomes the document PREFIX + its relative path (with "/"
separators; PREFIX defaults to "/"). Files are streamed into the database, so their size
does not matter. A file whose name is not valid UTF-8 (document paths are UTF-8) or that is
larger than the database's max_document_size is reported and skipped.
"""

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

try:
    import streamdb
except ImportError:  # running from a checkout without installing the package
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bindings" / "python" / "src"))
    import streamdb


def import_tree(db: streamdb.Database, directory: Path, prefix: str) -> int:
    """Store every file under directory; return how many were imported."""
    imported = 0
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        for name in sorted(files):
            source = Path(root) / name
            relative = source.relative_to(directory).as_posix()
            path = prefix + relative
            try:
                with open(source, "rb") as data, db.writer(path) as document:
                    shutil.copyfileobj(data, document, 1 << 20)
            except (streamdb.InvalidArgumentError, streamdb.TooLargeError) as error:
                print(f"skipped {source!s}: {error}", file=sys.stderr)
                continue
            imported += 1
    return imported


def list_prefix(db: streamdb.Database, prefix: str) -> None:
    total = count = 0
    for path in db.search(prefix):
        info = db.stat(path)
        print(f"{info.size:>12}  {path}")
        total += info.size
        count += 1
    print(f"{count} documents, {total} bytes under {prefix!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="only list DATABASE by PREFIX")
    parser.add_argument("database")
    parser.add_argument("directory_or_prefix", nargs="?")
    parser.add_argument("prefix", nargs="?")
    args = parser.parse_args()

    if args.list:
        prefix = args.directory_or_prefix or ""
        with streamdb.open(args.database, read_only=True) as db:
            list_prefix(db, prefix)
        return 0

    if args.directory_or_prefix is None:
        parser.error("DIRECTORY is required unless --list is given")
    directory = Path(args.directory_or_prefix)
    if not directory.is_dir():
        parser.error(f"{directory} is not a directory")
    prefix = args.prefix or "/"
    if not prefix.endswith("/"):
        prefix += "/"

    with streamdb.open(args.database) as db:
        started = time.perf_counter()
        imported = import_tree(db, directory, prefix)
        db.flush()
        elapsed = time.perf_counter() - started
        print(f"imported {imported} files from {directory} in {elapsed:.2f}s")
        list_prefix(db, prefix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
