"""PathIterator: a lazy iterator over a streamdb_iter (search results or a document's paths)."""

from __future__ import annotations

import ctypes
from typing import Any, Iterator, Optional

from . import _native
from .errors import DONE


class PathIterator(Iterator[str]):
    """Yields paths (str) one at a time from the library, in byte order.

    The set of paths is fixed when the iterator is created (by :meth:`Database.search` or
    :meth:`Database.paths`); paths are fetched from the library only as they are consumed.
    The native iterator is freed when the iteration ends, on :meth:`close`, on leaving a
    ``with`` block, or when the object is garbage collected. Use it from one thread at a time.
    """

    def __init__(self, handle: ctypes.c_void_p, owner: Any) -> None:
        self._handle: Optional[ctypes.c_void_p] = handle
        self._owner = owner  # keeps the database open while the iterator lives

    def __iter__(self) -> "PathIterator":
        return self

    def __next__(self) -> str:
        if self._handle is None:
            raise StopIteration
        path = ctypes.c_void_p()
        length = ctypes.c_size_t()
        status = _native.lib().streamdb_iter_next(self._handle, ctypes.byref(path), ctypes.byref(length))
        if status == DONE:
            self.close()
            raise StopIteration
        if status < 0:
            failure = _native.error(status)
            self.close()
            raise failure
        # The library's path is borrowed until the next call, so it is copied now.
        if not length.value or path.value is None:
            return ""
        return ctypes.string_at(path.value, length.value).decode("utf-8")

    def close(self) -> None:
        """Free the native iterator; further iteration yields nothing."""
        handle, self._handle = self._handle, None
        if handle is not None:
            _native.lib().streamdb_iter_free(handle)

    def __enter__(self) -> "PathIterator":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may already be gone
            pass
