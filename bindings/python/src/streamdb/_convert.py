"""Conversions of Python arguments to what the C ABI takes.

Only type conversion happens here; whether a path, size or id is acceptable is the library's
decision (a str that is not valid UTF-8 is passed through with ``surrogatepass`` so that the
library, not Python, rejects it with STREAMDB_ERR_INVALID).
"""

from __future__ import annotations

import ctypes
import operator
import uuid
from typing import Any, Tuple, Union

from ._native import Id
from .errors import ERR_INVALID, InvalidArgumentError

PathLike = Union[str, bytes, bytearray, memoryview]
"""A document path: str (encoded as UTF-8) or UTF-8 bytes."""

IdLike = Union[uuid.UUID, bytes]
"""A document id: uuid.UUID, or its 16 bytes in RFC 4122 order."""

BytesLike = Any
"""Any object with the buffer protocol (bytes, bytearray, memoryview, array, mmap...);
typing has no name for it before collections.abc.Buffer (Python 3.12)."""


def path_bytes(path: Any, what: str = "path") -> bytes:
    """A document path (or prefix) as bytes."""
    if isinstance(path, str):
        return path.encode("utf-8", "surrogatepass")
    if isinstance(path, bytes):
        return path
    if isinstance(path, (bytearray, memoryview)):
        return bytes(path)
    raise TypeError(f"{what} must be str or bytes, not {type(path).__name__}")


def data_pointer(data: BytesLike) -> Tuple[Any, int]:
    """(object ctypes accepts for a ``const void *``, byte length) for a bytes-like object.

    bytes and writable buffers are passed without copying; read-only buffers other than
    bytes are copied once, because ctypes can only address writable foreign buffers.
    """
    if isinstance(data, bytes):
        return data, len(data)
    if isinstance(data, str):
        raise TypeError("data must be a bytes-like object, not str (encode it first)")
    try:
        view = memoryview(data)
    except TypeError:
        raise TypeError(f"data must be a bytes-like object, not {type(data).__name__}") from None
    if not view.c_contiguous:
        copy = view.tobytes()
        return copy, len(copy)
    view = view.cast("B")
    if view.readonly:
        copy = bytes(view)
        return copy, len(copy)
    return (ctypes.c_char * view.nbytes).from_buffer(view), view.nbytes


def writable_buffer(buffer: BytesLike) -> Tuple[Any, int]:
    """(ctypes array over the caller's writable buffer, byte length)."""
    try:
        view = memoryview(buffer)
    except TypeError:
        raise TypeError(f"buffer must be a writable bytes-like object, not {type(buffer).__name__}") from None
    if view.readonly:
        raise TypeError("buffer must be writable (e.g. bytearray), not read-only")
    if not view.c_contiguous:
        raise TypeError("buffer must be C-contiguous")
    view = view.cast("B")
    return (ctypes.c_char * view.nbytes).from_buffer(view), view.nbytes


def to_id(value: Any) -> Id:
    """A streamdb_id from a uuid.UUID or 16 bytes."""
    if isinstance(value, uuid.UUID):
        raw = value.bytes
    elif isinstance(value, (bytes, bytearray)):
        if len(value) != 16:
            raise InvalidArgumentError(ERR_INVALID, f"a document id has 16 bytes, not {len(value)}")
        raw = bytes(value)
    else:
        raise TypeError(f"a document id must be uuid.UUID or 16 bytes, not {type(value).__name__}")
    return Id.from_buffer_copy(raw)


def from_id(value: Id) -> uuid.UUID:
    """A uuid.UUID from a streamdb_id."""
    return uuid.UUID(bytes=bytes(value.bytes))


def c_int_in(value: Any, name: str, low: int, high: int) -> int:
    """An int that fits the C field, else InvalidArgumentError (ctypes would silently wrap it)."""
    number = operator.index(value)
    if not low <= number <= high:
        raise InvalidArgumentError(ERR_INVALID, f"{name} must be in {low}..{high}, not {number}")
    return number


UINT32_MAX = 2**32 - 1
UINT64_MAX = 2**64 - 1
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
