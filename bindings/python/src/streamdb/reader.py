"""Reader: a read-only, seekable binary file over one document version."""

from __future__ import annotations

import ctypes
import io
from typing import Any, Iterator, Optional

from . import _native
from ._convert import BytesLike, writable_buffer
from .errors import DONE, ERR_INVALID, InvalidArgumentError


class Reader(io.RawIOBase):
    """A binary file-like object (``io.RawIOBase``) reading one document version.

    Returned by :meth:`Database.reader`. It reads the version that was current when it was
    opened, even if the document is overwritten or deleted meanwhile. ``read``/``readinto``
    fill the request completely unless the end is reached; ``seek`` accepts whence 0, 1 and 2
    and, like a regular file, allows positions past the end (reads there return ``b""``).
    Iterating yields the document's chunks (bytes) from the current position, as the library
    stores them, which is the cheapest way to stream a document. Use one thread at a time.
    """

    mode = "rb"

    def __init__(self, handle: ctypes.c_void_p, owner: Any, name: str) -> None:
        self._handle: Optional[ctypes.c_void_p] = handle
        super().__init__()
        self._owner = owner  # keeps the database open while the reader lives
        self.name = name
        size = ctypes.c_uint64()
        try:
            _native.check(_native.lib().streamdb_reader_size(handle, ctypes.byref(size)))
        except BaseException:
            self.close()
            raise
        self._size = size.value
        self._position = 0
        # The rest of the last chunk the library returned; borrowed until the next reader call.
        self._chunk_address = 0
        self._chunk_left = 0

    @property
    def size(self) -> int:
        """Length of the document version in bytes."""
        return self._size

    def readable(self) -> bool:
        self._check_open()
        return True

    def seekable(self) -> bool:
        self._check_open()
        return True

    def writable(self) -> bool:
        self._check_open()
        return False

    def tell(self) -> int:
        self._check_open()
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move to ``offset`` relative to the start (0), the current position (1) or the end (2)."""
        self._check_open()
        if whence == io.SEEK_SET:
            target = offset
        elif whence == io.SEEK_CUR:
            target = self._position + offset
        elif whence == io.SEEK_END:
            target = self._size + offset
        else:
            raise InvalidArgumentError(ERR_INVALID, f"invalid whence ({whence}, should be 0, 1 or 2)")
        if target < 0:
            raise InvalidArgumentError(ERR_INVALID, f"negative seek position {target}")
        if target == self._position:
            return target
        self._chunk_left = 0
        if target <= self._size:
            _native.check(_native.lib().streamdb_reader_seek(self._handle, target))
        self._position = target
        return target

    def write(self, data: Any) -> int:
        """Readers are read-only: always raises io.UnsupportedOperation."""
        self._check_open()
        raise io.UnsupportedOperation("write: the reader is read-only (use Database.writer)")

    def readinto(self, buffer: BytesLike) -> int:
        """Fill ``buffer`` from the current position; return the bytes copied (0 at the end)."""
        self._check_open()
        target, capacity = writable_buffer(buffer)
        base = ctypes.addressof(target)
        filled = 0
        while filled < capacity and self._take_chunk():
            count = min(capacity - filled, self._chunk_left)
            ctypes.memmove(base + filled, self._chunk_address, count)
            self._consume(count)
            filled += count
        return filled

    def read(self, size: Optional[int] = -1) -> bytes:
        """Read up to ``size`` bytes (all the rest when ``size`` is negative or None)."""
        self._check_open()
        if size is None or size < 0:
            return self.readall()
        parts = []
        wanted = size
        while wanted > 0 and self._take_chunk():
            count = min(wanted, self._chunk_left)
            parts.append(ctypes.string_at(self._chunk_address, count))
            self._consume(count)
            wanted -= count
        return b"".join(parts)

    def readall(self) -> bytes:
        """Read everything from the current position to the end."""
        self._check_open()
        return b"".join(self._chunks())

    def __iter__(self) -> Iterator[bytes]:
        self._check_open()
        return self._chunks()

    def __next__(self) -> bytes:
        self._check_open()
        if not self._take_chunk():
            raise StopIteration
        chunk = ctypes.string_at(self._chunk_address, self._chunk_left)
        self._consume(self._chunk_left)
        return chunk

    def close(self) -> None:
        """Release the native reader. Closing twice is harmless."""
        handle, self._handle = self._handle, None
        if handle is not None:
            self._chunk_left = 0
            _native.lib().streamdb_reader_close(handle)
        super().close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"at {self._position} of {self._size}"
        return f"<streamdb.Reader {self.name!r} {state}>"

    def _chunks(self) -> Iterator[bytes]:
        while not self.closed and self._take_chunk():
            chunk = ctypes.string_at(self._chunk_address, self._chunk_left)
            self._consume(self._chunk_left)
            yield chunk

    def _take_chunk(self) -> bool:
        """Make sure some unread bytes of a chunk are available; False at the end."""
        if self._chunk_left:
            return True
        if self._position >= self._size:
            return False
        address = ctypes.c_void_p()
        length = ctypes.c_size_t()
        status = _native.lib().streamdb_reader_next(self._handle, ctypes.byref(address), ctypes.byref(length))
        if status == DONE:
            return False
        _native.check(status)
        self._chunk_address = address.value or 0
        self._chunk_left = length.value
        return self._chunk_left > 0

    def _consume(self, count: int) -> None:
        self._chunk_address += count
        self._chunk_left -= count
        self._position += count

    def _check_open(self) -> None:
        if self._handle is None:
            raise InvalidArgumentError(ERR_INVALID, "I/O operation on a closed reader")
