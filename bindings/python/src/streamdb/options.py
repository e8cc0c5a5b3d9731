"""Building a streamdb_options struct from open()'s keyword arguments."""

from __future__ import annotations

import ctypes
from typing import Optional

from . import _native
from ._convert import INT32_MAX, UINT32_MAX, UINT64_MAX, c_int_in

_GROWTH_ROOM = 1024


def build(
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
) -> _native.Options:
    """streamdb_options with the library's defaults, overridden by every argument not None."""
    # streamdb_options_init writes the library's own struct_size worth of bytes, which a newer
    # library may have grown; give it room, then keep our fields and declare our size.
    room = ctypes.create_string_buffer(ctypes.sizeof(_native.Options) + _GROWTH_ROOM)
    _native.lib().streamdb_options_init(room)
    options = _native.Options.from_buffer_copy(room)
    options.struct_size = ctypes.sizeof(_native.Options)
    if page_size is not None:
        options.page_size = c_int_in(page_size, "page_size", 0, UINT32_MAX)
    if max_document_size is not None:
        options.max_document_size = c_int_in(max_document_size, "max_document_size", 0, UINT64_MAX)
    if max_db_size is not None:
        options.max_db_size = c_int_in(max_db_size, "max_db_size", 0, UINT64_MAX)
    if page_cache_pages is not None:
        options.page_cache_pages = c_int_in(page_cache_pages, "page_cache_pages", 0, UINT32_MAX)
    if versions_to_keep is not None:
        options.versions_to_keep = c_int_in(versions_to_keep, "versions_to_keep", -1, INT32_MAX)
    if flush_interval_ms is not None:
        options.flush_interval_ms = c_int_in(flush_interval_ms, "flush_interval_ms", 0, UINT32_MAX)
    flags = options.flags
    for enabled, flag in (
        (read_only, _native.OPEN_READ_ONLY),
        (no_create, _native.OPEN_NO_CREATE),
        (compress, _native.OPEN_COMPRESS),
        (quick, _native.OPEN_QUICK),
        (no_sync, _native.OPEN_NO_SYNC),
    ):
        if enabled:
            flags |= flag
    options.flags = flags
    return options
