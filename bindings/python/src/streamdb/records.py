"""Plain records returned by Database.stat() and Database.stats()."""

from __future__ import annotations

import uuid
from typing import NamedTuple


class DocumentInfo(NamedTuple):
    """What :meth:`Database.stat` reports about the document bound at a path."""

    id: uuid.UUID
    """The document's id."""
    size: int
    """Bytes of the current version."""
    version: int
    """Current version number, starting at 1."""
    path_count: int
    """How many paths are bound to the document."""
    versions_kept: int
    """Old versions still readable with :meth:`Database.read_version`."""


class Stats(NamedTuple):
    """Database-wide counters reported by :meth:`Database.stats`."""

    page_size: int
    total_pages: int
    free_pages: int
    documents: int
    paths: int
    file_bytes: int
    cache_hits: int
    cache_misses: int
