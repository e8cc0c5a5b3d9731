"""Writer: a write-only binary file that becomes a new document version when closed."""

from __future__ import annotations

import ctypes
import io
import uuid
from types import TracebackType
from typing import Any, Optional, Type

from . import _native
from ._convert import BytesLike, data_pointer, from_id
from .errors import ERR_INVALID, InvalidArgumentError


class Writer(io.RawIOBase):
    """A writable binary file-like object (``io.RawIOBase``) streaming a new document version.

    Returned by :meth:`Database.writer`. Nothing is visible to readers until :meth:`close`,
    which commits the data atomically as the new version of the document at the path and
    sets :attr:`id`. :meth:`abort` discards everything. In a ``with`` block the writer
    commits when the block ends normally and aborts when it ends with an exception. A writer
    that is garbage collected without being closed is aborted, never committed.
    Use one thread at a time.
    """

    mode = "wb"

    def __init__(self, handle: ctypes.c_void_p, owner: Any, name: str) -> None:
        self._handle: Optional[ctypes.c_void_p] = handle
        super().__init__()
        self._owner = owner  # keeps the database open while the writer lives
        self.name = name
        self._written = 0
        self.id: Optional[uuid.UUID] = None
        """The document's id once committed, else None."""
        self.aborted = False
        """True once :meth:`abort` discarded the data."""

    def readable(self) -> bool:
        self._check_open()
        return False

    def writable(self) -> bool:
        self._check_open()
        return True

    def seekable(self) -> bool:
        self._check_open()
        return False

    def tell(self) -> int:
        """Bytes written so far."""
        self._check_open()
        return self._written

    def read(self, size: int = -1) -> bytes:
        """Writers are write-only: always raises io.UnsupportedOperation."""
        self._check_open()
        raise io.UnsupportedOperation("read: the writer is write-only (use Database.reader)")

    def readinto(self, buffer: Any) -> int:
        """Writers are write-only: always raises io.UnsupportedOperation."""
        self._check_open()
        raise io.UnsupportedOperation("readinto: the writer is write-only (use Database.reader)")

    def write(self, data: BytesLike) -> int:
        """Append a bytes-like object; returns its length in bytes."""
        self._check_open()
        pointer, length = data_pointer(data)
        _native.check(_native.lib().streamdb_writer_write(self._handle, pointer, length))
        self._written += length
        return length

    def close(self) -> None:
        """Commit: publish the data as the document's new version. Closing twice is harmless."""
        handle, self._handle = self._handle, None
        if handle is None:
            super().close()
            return
        try:
            out = _native.Id()
            _native.check(_native.lib().streamdb_writer_commit(handle, ctypes.byref(out)))
            self.id = from_id(out)
        finally:
            super().close()

    def abort(self) -> None:
        """Discard everything written; nothing becomes visible. Harmless after close."""
        handle, self._handle = self._handle, None
        if handle is not None:
            _native.lib().streamdb_writer_abort(handle)
            self.aborted = True
        super().close()

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def __del__(self) -> None:
        # io.IOBase.__del__ would close, i.e. commit half-written data: abort instead.
        try:
            self.abort()
        except Exception:  # interpreter shutdown: the library may already be gone
            pass

    def __repr__(self) -> str:
        if self.id is not None:
            state = f"committed as {self.id}"
        elif self.aborted:
            state = "aborted"
        elif self.closed:
            state = "closed"
        else:
            state = f"{self._written} bytes written"
        return f"<streamdb.Writer {self.name!r} {state}>"

    def _check_open(self) -> None:
        if self._handle is None:
            raise InvalidArgumentError(ERR_INVALID, "I/O operation on a closed writer")
