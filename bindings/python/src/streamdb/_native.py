"""ctypes declarations of the libstreamdb C ABI (include/streamdb.h).

The library is loaded on first use, not at import, so ``import streamdb`` always works and a
missing library is reported where it is first needed. ctypes.CDLL releases the GIL for every
call, which is what lets Python threads use one database in parallel.
"""

from __future__ import annotations

import ctypes
import threading
from ctypes import (
    POINTER,
    Structure,
    c_char_p,
    c_int,
    c_int32,
    c_size_t,
    c_uint8,
    c_uint32,
    c_uint64,
    c_void_p,
)
from typing import NoReturn, Optional

from . import _loader
from .errors import Error, error_for_status

OPEN_READ_ONLY = 0x1
OPEN_NO_CREATE = 0x2
OPEN_COMPRESS = 0x4
OPEN_QUICK = 0x8
OPEN_NO_SYNC = 0x10


class Id(Structure):
    """streamdb_id: 16 bytes, RFC 4122 byte order (uuid.UUID.bytes)."""

    _fields_ = [("bytes", c_uint8 * 16)]


class Options(Structure):
    """streamdb_options."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("page_size", c_uint32),
        ("max_document_size", c_uint64),
        ("max_db_size", c_uint64),
        ("page_cache_pages", c_uint32),
        ("versions_to_keep", c_int32),
        ("flags", c_uint32),
        ("flush_interval_ms", c_uint32),
    ]


class Stats(Structure):
    """streamdb_stats."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("page_size", c_uint32),
        ("total_pages", c_uint64),
        ("free_pages", c_uint64),
        ("documents", c_uint64),
        ("paths", c_uint64),
        ("file_bytes", c_uint64),
        ("cache_hits", c_uint64),
        ("cache_misses", c_uint64),
    ]


class DocInfo(Structure):
    """streamdb_doc_info."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("id", Id),
        ("size", c_uint64),
        ("version", c_uint64),
        ("path_count", c_uint32),
        ("versions_kept", c_uint32),
    ]


_p = c_void_p  # opaque handles and untyped buffers
_out_p = POINTER(c_void_p)
_size = c_size_t
_out_size = POINTER(c_size_t)
_id = POINTER(Id)

# name: (restype, argtypes)
_PROTOTYPES = {
    "streamdb_version": (c_char_p, []),
    "streamdb_errmsg": (c_char_p, []),
    "streamdb_strerror": (c_char_p, [c_int]),
    "streamdb_free_buffer": (None, [_p]),
    "streamdb_options_init": (None, [_p]),  # see options.build
    "streamdb_open": (c_int, [c_char_p, POINTER(Options), _out_p]),
    "streamdb_open_memory": (c_int, [POINTER(Options), _out_p]),
    "streamdb_close": (c_int, [_p]),
    "streamdb_snapshot": (c_int, [_p, _out_p]),
    "streamdb_write": (c_int, [_p, c_char_p, _size, _p, _size, _id]),
    "streamdb_read": (c_int, [_p, c_char_p, _size, _out_p, _out_size]),
    "streamdb_read_into": (c_int, [_p, c_char_p, _size, c_uint64, _p, _size, _out_size]),
    "streamdb_read_version": (c_int, [_p, c_char_p, _size, c_uint32, _out_p, _out_size]),
    "streamdb_stat": (c_int, [_p, c_char_p, _size, POINTER(DocInfo)]),
    "streamdb_delete": (c_int, [_p, c_char_p, _size]),
    "streamdb_delete_id": (c_int, [_p, _id]),
    "streamdb_get_id": (c_int, [_p, c_char_p, _size, _id]),
    "streamdb_bind": (c_int, [_p, _id, c_char_p, _size]),
    "streamdb_unbind": (c_int, [_p, _id, c_char_p, _size]),
    "streamdb_search": (c_int, [_p, c_char_p, _size, _out_p]),
    "streamdb_list_paths": (c_int, [_p, _id, _out_p]),
    "streamdb_iter_next": (c_int, [_p, _out_p, _out_size]),
    "streamdb_iter_free": (None, [_p]),
    "streamdb_reader_open": (c_int, [_p, c_char_p, _size, _out_p]),
    "streamdb_reader_size": (c_int, [_p, POINTER(c_uint64)]),
    "streamdb_reader_next": (c_int, [_p, _out_p, _out_size]),
    "streamdb_reader_seek": (c_int, [_p, c_uint64]),
    "streamdb_reader_close": (None, [_p]),
    "streamdb_writer_open": (c_int, [_p, c_char_p, _size, _out_p]),
    "streamdb_writer_write": (c_int, [_p, _p, _size]),
    "streamdb_writer_commit": (c_int, [_p, _id]),
    "streamdb_writer_abort": (None, [_p]),
    "streamdb_batch_begin": (c_int, [_p, _out_p]),
    "streamdb_batch_write": (c_int, [_p, c_char_p, _size, _p, _size]),
    "streamdb_batch_delete": (c_int, [_p, c_char_p, _size]),
    "streamdb_batch_commit": (c_int, [_p]),
    "streamdb_batch_abort": (None, [_p]),
    "streamdb_read_async": (c_int, [_p, c_char_p, _size, _out_p]),
    "streamdb_op_wait": (c_int, [_p, c_int32]),
    "streamdb_op_result": (c_int, [_p, _out_p, _out_size]),
    "streamdb_op_free": (None, [_p]),
    "streamdb_flush": (c_int, [_p]),
    "streamdb_stats": (c_int, [_p, POINTER(Stats)]),
    "streamdb_verify": (c_int, [_p]),
    "streamdb_compact": (c_int, [_p]),
}

_lock = threading.Lock()
_lib: Optional[ctypes.CDLL] = None


def lib() -> ctypes.CDLL:
    """The loaded library with every prototype declared (loaded once, on first use)."""
    global _lib
    if _lib is None:
        with _lock:
            if _lib is None:
                loaded = _loader.load()
                for name, (restype, argtypes) in _PROTOTYPES.items():
                    function = getattr(loaded, name)
                    function.restype = restype
                    function.argtypes = argtypes
                _lib = loaded
    return _lib


def error(status: int) -> Error:
    """The exception for a failed call, with this thread's streamdb_errmsg.

    Call it before any other streamdb_* call on this thread: the message is per thread and
    valid only until the thread's next call.
    """
    library = lib()
    raw = library.streamdb_errmsg()
    message = raw.decode("utf-8", "replace") if raw else ""
    if not message:
        text = library.streamdb_strerror(status)
        message = text.decode("utf-8", "replace") if text else ""
    return error_for_status(status, message)


def raise_error(status: int) -> NoReturn:
    """Raise the exception for a failed call (see :func:`error`)."""
    raise error(status)


def check(status: int) -> int:
    """Return a non-negative status; raise for a negative one."""
    if status < 0:
        raise_error(status)
    return status


def take_buffer(pointer: c_void_p, length: c_size_t) -> bytes:
    """Copy a library-allocated buffer into bytes and free it."""
    try:
        if not pointer.value:
            return b""
        return ctypes.string_at(pointer.value, length.value)
    finally:
        lib().streamdb_free_buffer(pointer)
