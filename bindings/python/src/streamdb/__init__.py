"""StreamDb for Python: binary documents under string paths, in one embedded file.

A thin ctypes binding of libstreamdb.so (no compiled extension)::

    import streamdb

    with streamdb.open("app.sdb") as db:
        doc_id = db.write("/users/ada/avatar.png", png_bytes)
        assert db["/users/ada/avatar.png"] == png_bytes
        for path in db.search("/users/"):
            print(path, db.stat(path).size)

Every library error raises a subclass of :class:`streamdb.Error`. The library is found through
$STREAMDB_LIBRARY, next to this package, in the repository's ``artifacts/lib``, or by the
system loader (see :func:`library_path`).
"""

from __future__ import annotations

import ctypes
import os
from typing import Optional, Union

from . import _native, options as _options
from .batch import Batch
from .database import Database
from .errors import (
    BufferTooSmallError,
    BusyError,
    CorruptedError,
    Error,
    FullError,
    InternalError,
    InvalidArgumentError,
    LibraryNotFoundError,
    NotFoundError,
    ReadOnlyError,
    StreamDbIOError,
    StreamDbTimeoutError,
    TooLargeError,
)
from .path_iterator import PathIterator
from .reader import Reader
from .records import DocumentInfo, Stats
from .writer import Writer

__version__ = "0.1.0"

__all__ = [
    "open",
    "open_memory",
    "library_version",
    "library_path",
    "Database",
    "Reader",
    "Writer",
    "Batch",
    "PathIterator",
    "DocumentInfo",
    "Stats",
    "Error",
    "StreamDbIOError",
    "NotFoundError",
    "InvalidArgumentError",
    "InternalError",
    "CorruptedError",
    "TooLargeError",
    "FullError",
    "BusyError",
    "ReadOnlyError",
    "BufferTooSmallError",
    "StreamDbTimeoutError",
    "LibraryNotFoundError",
]


def open(
    path: Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"],
    *,
    page_size: Optional[int] = None,
    max_document_size: Optional[int] = None,
    max_db_size: Optional[int] = None,
    page_cache_pages: Optional[int] = None,
    versions_to_keep: Optional[int] = None,
    read_only: bool = False,
    no_create: bool = False,
    compress: bool = False,
    quick: bool = False,
    no_sync: bool = False,
    flush_interval_ms: Optional[int] = None,
) -> Database:
    """Open (creating unless ``no_create`` or ``read_only``) the database file at ``path``.

    Options left at None keep the library's defaults:

    - ``page_size``: bytes per page, a power of two 4096..65536 (8192); fixed at creation.
    - ``max_document_size``: largest document in bytes (256 MiB).
    - ``max_db_size``: largest file in bytes (8 TB).
    - ``page_cache_pages``: pages kept in memory (2048).
    - ``versions_to_keep``: old versions kept readable per document (2).
    - ``read_only``: never write; BusyError if a writer holds the file.
    - ``no_create``: NotFoundError if the file does not exist.
    - ``compress``: Snappy-compress new document data.
    - ``quick``: skip CRC checks on reads.
    - ``no_sync``: never fsync (tests and scratch data: atomic but not durable).
    - ``flush_interval_ms``: 0 makes every commit durable before it returns; n > 0 lets a
      background flush make commits durable at most n ms later (group commit).

    A database that crashed is recovered on open. Use the result as a context manager.
    """
    opts = _options.build(
        page_size=page_size, max_document_size=max_document_size, max_db_size=max_db_size,
        page_cache_pages=page_cache_pages, versions_to_keep=versions_to_keep, read_only=read_only,
        no_create=no_create, compress=compress, quick=quick, no_sync=no_sync,
        flush_interval_ms=flush_interval_ms,
    )
    file = os.fsencode(path)
    out = ctypes.c_void_p()
    _native.check(_native.lib().streamdb_open(file, ctypes.byref(opts), ctypes.byref(out)))
    return Database(out, os.fsdecode(file), bool(read_only))


def open_memory(
    *,
    page_size: Optional[int] = None,
    max_document_size: Optional[int] = None,
    max_db_size: Optional[int] = None,
    page_cache_pages: Optional[int] = None,
    versions_to_keep: Optional[int] = None,
    compress: bool = False,
    quick: bool = False,
) -> Database:
    """A database that lives in memory only (nothing touches disk); options as for :func:`open`."""
    opts = _options.build(
        page_size=page_size, max_document_size=max_document_size, max_db_size=max_db_size,
        page_cache_pages=page_cache_pages, versions_to_keep=versions_to_keep, compress=compress,
        quick=quick,
    )
    out = ctypes.c_void_p()
    _native.check(_native.lib().streamdb_open_memory(ctypes.byref(opts), ctypes.byref(out)))
    return Database(out, None, False)


def library_version() -> str:
    """The loaded libstreamdb's version, "MAJOR.MINOR.PATCH"."""
    raw: Optional[bytes] = _native.lib().streamdb_version()
    return raw.decode("ascii") if raw else ""


def library_path() -> str:
    """The file the loaded libstreamdb.so came from (loads it if needed)."""
    name: str = _native.lib()._name
    return name
