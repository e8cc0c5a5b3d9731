"""Batch: an atomic group of writes and deletes."""

from __future__ import annotations

import ctypes
from types import TracebackType
from typing import Any, Optional, Type

from . import _native
from ._convert import BytesLike, PathLike, data_pointer, path_bytes
from .errors import ERR_INVALID, InvalidArgumentError


class Batch:
    """Writes and deletes that become visible together, all or nothing, with one sync.

    Returned by :meth:`Database.batch`. Use it as a context manager: the batch commits when
    the ``with`` block ends normally and aborts when it ends with an exception. A delete of a
    path that does not exist fails the whole batch at commit (NotFoundError). A batch that is
    garbage collected without being committed is aborted. Use one thread at a time.
    """

    def __init__(self, handle: ctypes.c_void_p, owner: Any) -> None:
        self._handle: Optional[ctypes.c_void_p] = handle
        self._owner = owner  # keeps the database open while the batch lives
        self.committed = False
        """True once :meth:`commit` succeeded."""

    @property
    def finished(self) -> bool:
        """True after commit or abort."""
        return self._handle is None

    def write(self, path: PathLike, data: BytesLike) -> None:
        """Add a write of ``data`` (bytes-like) as the new version of the document at ``path``."""
        handle = self._live()
        encoded = path_bytes(path)
        pointer, length = data_pointer(data)
        _native.check(_native.lib().streamdb_batch_write(handle, encoded, len(encoded), pointer, length))

    def delete(self, path: PathLike) -> None:
        """Add a delete of ``path``."""
        handle = self._live()
        encoded = path_bytes(path)
        _native.check(_native.lib().streamdb_batch_delete(handle, encoded, len(encoded)))

    __setitem__ = write
    __delitem__ = delete

    def commit(self) -> None:
        """Apply every write and delete atomically. The batch is finished afterwards, even on error."""
        handle = self._live()
        self._handle = None
        _native.check(_native.lib().streamdb_batch_commit(handle))
        self.committed = True

    def abort(self) -> None:
        """Discard the batch. Harmless when already finished."""
        handle, self._handle = self._handle, None
        if handle is not None:
            _native.lib().streamdb_batch_abort(handle)

    def __enter__(self) -> "Batch":
        self._live()
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        if exc_type is None:
            if not self.finished:
                self.commit()
        else:
            self.abort()

    def __del__(self) -> None:
        try:
            self.abort()
        except Exception:  # interpreter shutdown: the library may already be gone
            pass

    def __repr__(self) -> str:
        state = "committed" if self.committed else "finished" if self.finished else "open"
        return f"<streamdb.Batch {state}>"

    def _live(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise InvalidArgumentError(ERR_INVALID, "the batch is already committed or aborted")
        return self._handle
