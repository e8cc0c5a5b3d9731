"""Database: an open libstreamdb database (or a read-only snapshot of one)."""

from __future__ import annotations

import ctypes
import uuid
import weakref
from concurrent.futures import Future
from types import TracebackType
from typing import Any, Iterator, List, Optional, Type, TypeVar, Union, overload

from . import _native, async_read
from ._convert import BytesLike, IdLike, PathLike, c_int_in, data_pointer, from_id, path_bytes, to_id, writable_buffer
from ._convert import UINT32_MAX, UINT64_MAX
from .batch import Batch
from .errors import ERR_INVALID, InvalidArgumentError, NotFoundError
from .path_iterator import PathIterator
from .reader import Reader
from .records import DocumentInfo, Stats
from .writer import Writer

_Default = TypeVar("_Default")


class Database:
    """An open database: binary documents stored under string paths.

    Obtain one with :func:`streamdb.open` or :func:`streamdb.open_memory`, preferably in a
    ``with`` block, which closes it (making everything durable and releasing the file lock).
    One Database may be used from any number of threads at once; the library runs the calls
    in parallel because ctypes releases the GIL during each call.

    Paths are ``str`` (stored as UTF-8) or UTF-8 ``bytes``. The mapping operators work on
    whole documents: ``db[path]``, ``db[path] = data``, ``del db[path]``, ``path in db``,
    ``iter(db)`` (every path) and ``len(db)`` (number of bound paths).
    """

    def __init__(self, handle: ctypes.c_void_p, file: Optional[str], read_only: bool,
                 parent: Optional["Database"] = None) -> None:
        self._handle: Optional[ctypes.c_void_p] = handle
        self._file = file
        self._read_only = read_only
        self._parent = parent  # a snapshot keeps its database open
        # streamdb_close also closes the snapshots made from a database; they are told so.
        self._snapshots: "weakref.WeakSet[Database]" = weakref.WeakSet()

    # ----- lifecycle -------------------------------------------------------------------

    @property
    def file(self) -> Optional[str]:
        """The database file, or None for an in-memory database."""
        return self._file

    @property
    def read_only(self) -> bool:
        """True for a database opened read-only and for a snapshot."""
        return self._read_only

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._handle is None

    def close(self) -> None:
        """Make everything durable, release the file lock and invalidate the handle.

        Closing an already closed database does nothing. Everything made from the database
        (readers, writers, batches, iterators, pending async reads, snapshots) is released
        with it: writers and batches that were not committed are aborted, and later use of any
        of them raises InvalidArgumentError.
        """
        handle, self._handle = self._handle, None
        if handle is not None:
            for snapshot in list(self._snapshots):
                snapshot._handle = None
            _native.check(_native.lib().streamdb_close(handle))

    def __enter__(self) -> "Database":
        self._live()
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 traceback: Optional[TracebackType]) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown or a failing close: nothing to report to
            pass

    def __repr__(self) -> str:
        kind = "snapshot" if self._parent is not None else "memory" if self._file is None else repr(self._file)
        return f"<streamdb.Database {kind}{' read-only' if self._read_only else ''}{' closed' if self.closed else ''}>"

    def snapshot(self) -> "Database":
        """A read-only view of the state committed now; later writes do not show in it.

        Close it (or use it in a ``with`` block) when done.
        """
        out = ctypes.c_void_p()
        _native.check(_native.lib().streamdb_snapshot(self._live(), ctypes.byref(out)))
        snapshot = Database(out, self._file, True, parent=self)
        self._snapshots.add(snapshot)
        return snapshot

    # ----- whole documents -------------------------------------------------------------

    def write(self, path: PathLike, data: BytesLike) -> uuid.UUID:
        """Store ``data`` (any bytes-like object) as the new version of the document at ``path``.

        A new document is created when the path is unbound. Atomic: readers see the old or
        the new version, never a mix. Returns the document's id.
        """
        encoded = path_bytes(path)
        pointer, length = data_pointer(data)
        out = _native.Id()
        _native.check(_native.lib().streamdb_write(self._live(), encoded, len(encoded), pointer, length,
                                                   ctypes.byref(out)))
        return from_id(out)

    def read(self, path: PathLike) -> bytes:
        """The current version of the document at ``path`` (NotFoundError if unbound)."""
        encoded = path_bytes(path)
        data = ctypes.c_void_p()
        length = ctypes.c_size_t()
        _native.check(_native.lib().streamdb_read(self._live(), encoded, len(encoded), ctypes.byref(data),
                                                  ctypes.byref(length)))
        return _native.take_buffer(data, length)

    def read_into(self, path: PathLike, offset: int, buffer: BytesLike) -> int:
        """Copy up to ``len(buffer)`` bytes of the document from ``offset`` into ``buffer``.

        ``buffer`` is any writable bytes-like object (bytearray, memoryview, array, mmap...).
        Returns the number of bytes copied, 0 at or past the end.
        """
        encoded = path_bytes(path)
        start = c_int_in(offset, "offset", 0, UINT64_MAX)
        target, capacity = writable_buffer(buffer)
        copied = ctypes.c_size_t()
        _native.check(_native.lib().streamdb_read_into(self._live(), encoded, len(encoded), start, target,
                                                       capacity, ctypes.byref(copied)))
        return copied.value

    def read_version(self, path: PathLike, back: int = 0) -> bytes:
        """An older version: ``back`` = 0 is current, 1 the previous one, ...

        NotFoundError past the versions still kept (see ``versions_to_keep``).
        """
        encoded = path_bytes(path)
        versions_back = c_int_in(back, "back", 0, UINT32_MAX)
        data = ctypes.c_void_p()
        length = ctypes.c_size_t()
        _native.check(_native.lib().streamdb_read_version(self._live(), encoded, len(encoded), versions_back,
                                                          ctypes.byref(data), ctypes.byref(length)))
        return _native.take_buffer(data, length)

    def read_async(self, path: PathLike) -> "Future[bytes]":
        """Start reading the document at ``path`` in the background.

        Returns a :class:`concurrent.futures.Future` whose result is the document's bytes, or
        whose exception is the library's error (e.g. NotFoundError). Cancelling the future
        while it is pending cancels the read. Done-callbacks run on one of the few threads that
        wait for the library: keep them short, and do not wait in them for other futures.
        """
        return async_read.start(self._live(), path_bytes(path), self)

    def stat(self, path: PathLike) -> DocumentInfo:
        """Id, size, version and path count of the document at ``path``."""
        encoded = path_bytes(path)
        info = _native.DocInfo(struct_size=ctypes.sizeof(_native.DocInfo))
        _native.check(_native.lib().streamdb_stat(self._live(), encoded, len(encoded), ctypes.byref(info)))
        return DocumentInfo(from_id(info.id), info.size, info.version, info.path_count, info.versions_kept)

    def delete(self, path: PathLike) -> None:
        """Unbind ``path``; the document is deleted when no path is left (NotFoundError if unbound)."""
        encoded = path_bytes(path)
        _native.check(_native.lib().streamdb_delete(self._live(), encoded, len(encoded)))

    def delete_id(self, id: IdLike) -> None:
        """Delete the document ``id`` and every path bound to it."""
        document = to_id(id)
        _native.check(_native.lib().streamdb_delete_id(self._live(), ctypes.byref(document)))

    # ----- mapping protocol ------------------------------------------------------------

    def __getitem__(self, path: PathLike) -> bytes:
        return self.read(path)

    def __setitem__(self, path: PathLike, data: BytesLike) -> None:
        self.write(path, data)

    def __delitem__(self, path: PathLike) -> None:
        self.delete(path)

    def __contains__(self, path: object) -> bool:
        try:
            self.get_id(path)  # type: ignore[arg-type]
        except NotFoundError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return self.search("")

    def __len__(self) -> int:
        return self.stats().paths

    def __bool__(self) -> bool:
        # Without this, truth would come from __len__: an empty database would be false and a
        # closed one would raise.
        return True

    @overload
    def get(self, path: PathLike) -> Optional[bytes]: ...

    @overload
    def get(self, path: PathLike, default: _Default) -> Union[bytes, _Default]: ...

    def get(self, path: PathLike, default: Any = None) -> Any:
        """The document at ``path``, or ``default`` when the path is unbound."""
        try:
            return self.read(path)
        except NotFoundError:
            return default

    # ----- paths -----------------------------------------------------------------------

    def get_id(self, path: PathLike) -> uuid.UUID:
        """The id of the document bound at ``path``."""
        encoded = path_bytes(path)
        out = _native.Id()
        _native.check(_native.lib().streamdb_get_id(self._live(), encoded, len(encoded), ctypes.byref(out)))
        return from_id(out)

    def bind(self, id: IdLike, path: PathLike) -> None:
        """Bind another ``path`` to the existing document ``id``.

        A path bound to another document is rebound (that document is deleted if it has no
        path left).
        """
        document = to_id(id)
        encoded = path_bytes(path)
        _native.check(_native.lib().streamdb_bind(self._live(), ctypes.byref(document), encoded, len(encoded)))

    def unbind(self, id: IdLike, path: PathLike) -> None:
        """Remove ``path`` from document ``id``; the document stays even with no path left."""
        document = to_id(id)
        encoded = path_bytes(path)
        _native.check(_native.lib().streamdb_unbind(self._live(), ctypes.byref(document), encoded, len(encoded)))

    def paths(self, id: IdLike) -> List[str]:
        """Every path bound to document ``id``, in byte order."""
        document = to_id(id)
        out = ctypes.c_void_p()
        _native.check(_native.lib().streamdb_list_paths(self._live(), ctypes.byref(document), ctypes.byref(out)))
        with PathIterator(out, self) as paths:
            return list(paths)

    def search(self, prefix: PathLike = "") -> PathIterator:
        """Lazily yield every bound path starting with ``prefix`` (byte-wise), in byte order.

        The exact match is included; an empty prefix lists all paths. The set of paths is
        the one at the time of the call; they are fetched from the library as you iterate.
        """
        encoded = path_bytes(prefix, "prefix")
        out = ctypes.c_void_p()
        _native.check(_native.lib().streamdb_search(self._live(), encoded, len(encoded), ctypes.byref(out)))
        return PathIterator(out, self)

    # ----- streaming -------------------------------------------------------------------

    def reader(self, path: PathLike) -> Reader:
        """A binary file object reading the version of ``path`` current now (see :class:`Reader`)."""
        encoded = path_bytes(path)
        out = ctypes.c_void_p()
        _native.check(_native.lib().streamdb_reader_open(self._live(), encoded, len(encoded), ctypes.byref(out)))
        return Reader(out, self, _display(path))

    def writer(self, path: PathLike) -> Writer:
        """A binary file object that writes a new version of ``path``, published on close.

        In a ``with`` block an exception aborts the write (see :class:`Writer`).
        """
        encoded = path_bytes(path)
        out = ctypes.c_void_p()
        _native.check(_native.lib().streamdb_writer_open(self._live(), encoded, len(encoded), ctypes.byref(out)))
        return Writer(out, self, _display(path))

    def batch(self) -> Batch:
        """An atomic group of writes and deletes; use it as a context manager (see :class:`Batch`)."""
        out = ctypes.c_void_p()
        _native.check(_native.lib().streamdb_batch_begin(self._live(), ctypes.byref(out)))
        return Batch(out, self)

    # ----- maintenance -----------------------------------------------------------------

    def flush(self) -> None:
        """Make everything committed so far durable; collect versions past ``versions_to_keep``."""
        _native.check(_native.lib().streamdb_flush(self._live()))

    def stats(self) -> Stats:
        """Page, document, path, file-size and cache counters."""
        stats = _native.Stats(struct_size=ctypes.sizeof(_native.Stats))
        _native.check(_native.lib().streamdb_stats(self._live(), ctypes.byref(stats)))
        return Stats(stats.page_size, stats.total_pages, stats.free_pages, stats.documents, stats.paths,
                     stats.file_bytes, stats.cache_hits, stats.cache_misses)

    def verify(self) -> None:
        """Check every page, chain, CRC and index entry; CorruptedError names the first problem."""
        _native.check(_native.lib().streamdb_verify(self._live()))

    def compact(self) -> None:
        """Return trailing free pages to the file system."""
        _native.check(_native.lib().streamdb_compact(self._live()))

    def _live(self) -> ctypes.c_void_p:
        handle = self._handle
        if handle is None:
            raise InvalidArgumentError(ERR_INVALID, "the database is closed")
        return handle


def _display(path: PathLike) -> str:
    """A path as text for names and messages."""
    if isinstance(path, str):
        return path
    return bytes(path).decode("utf-8", "replace")

