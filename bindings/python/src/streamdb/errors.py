"""The exception hierarchy: one class per libstreamdb status code.

Every error the library reports is raised as a subclass of :class:`Error`, carrying the
status code (``.status``) and the library's message for the failing call (``.message``, the
text of ``streamdb_errmsg``). Classes also derive from the built-in exception a Python
programmer would catch for the same situation, so ``except KeyError`` works for a missing
path and ``except ValueError`` for a bad argument.
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple, Type

__all__ = [
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
    "error_for_status",
    "status_name",
]

OK = 0
DONE = 1
ERR_IO = -1
ERR_NOT_FOUND = -2
ERR_INVALID = -3
ERR_INTERNAL = -4
ERR_CORRUPTED = -5
ERR_TOO_LARGE = -6
ERR_FULL = -7
ERR_BUSY = -8
ERR_READ_ONLY = -9
ERR_BUFFER_TOO_SMALL = -10
ERR_TIMEOUT = -11

_STATUS_NAMES: Dict[int, str] = {
    OK: "STREAMDB_OK",
    DONE: "STREAMDB_DONE",
    ERR_IO: "STREAMDB_ERR_IO",
    ERR_NOT_FOUND: "STREAMDB_ERR_NOT_FOUND",
    ERR_INVALID: "STREAMDB_ERR_INVALID",
    ERR_INTERNAL: "STREAMDB_ERR_INTERNAL",
    ERR_CORRUPTED: "STREAMDB_ERR_CORRUPTED",
    ERR_TOO_LARGE: "STREAMDB_ERR_TOO_LARGE",
    ERR_FULL: "STREAMDB_ERR_FULL",
    ERR_BUSY: "STREAMDB_ERR_BUSY",
    ERR_READ_ONLY: "STREAMDB_ERR_READ_ONLY",
    ERR_BUFFER_TOO_SMALL: "STREAMDB_ERR_BUFFER_TOO_SMALL",
    ERR_TIMEOUT: "STREAMDB_ERR_TIMEOUT",
}


def status_name(status: int) -> str:
    """The C macro name of a status code, e.g. ``"STREAMDB_ERR_NOT_FOUND"``."""
    return _STATUS_NAMES.get(status, f"status {status}")


class Error(Exception):
    """Base class of every error libstreamdb reports.

    Attributes:
        status: the negative status code the library returned (``STREAMDB_ERR_*``).
        message: the library's explanation (``streamdb_errmsg``) for the failing call.
    """

    status: int
    message: str

    def __init__(self, status: int, message: str) -> None:
        # Only the message goes to the built-in base: OSError would otherwise read a
        # two-argument call as (errno, strerror) and KeyError would quote its argument.
        super().__init__(message)
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({status_name(self.status)}, {self.message!r})"

    def __reduce__(self) -> Tuple[type, Tuple[int, str]]:
        # The default reduction rebuilds from .args, which holds only the message.
        return (type(self), (self.status, self.message))


class StreamDbIOError(Error, OSError):
    """The operating system refused a read, write, sync or lock (``STREAMDB_ERR_IO``)."""


class NotFoundError(Error, KeyError):
    """No such path, document or version (``STREAMDB_ERR_NOT_FOUND``)."""


class InvalidArgumentError(Error, ValueError):
    """A bad argument or a closed/finished handle (``STREAMDB_ERR_INVALID``)."""


class InternalError(Error):
    """An unexpected condition inside the library, i.e. a bug (``STREAMDB_ERR_INTERNAL``)."""


class CorruptedError(Error):
    """Stored data failed a CRC or structural check (``STREAMDB_ERR_CORRUPTED``)."""


class TooLargeError(Error):
    """The document is larger than ``max_document_size`` (``STREAMDB_ERR_TOO_LARGE``)."""


class FullError(Error):
    """The database would exceed ``max_db_size``, or the disk is full (``STREAMDB_ERR_FULL``)."""


class BusyError(Error):
    """The file is open for writing by another process or handle (``STREAMDB_ERR_BUSY``)."""


class ReadOnlyError(Error):
    """A write on a read-only database or snapshot (``STREAMDB_ERR_READ_ONLY``)."""


class BufferTooSmallError(Error):
    """The caller's buffer is too small (``STREAMDB_ERR_BUFFER_TOO_SMALL``)."""


class StreamDbTimeoutError(Error, TimeoutError):
    """A wait ran out of time (``STREAMDB_ERR_TIMEOUT``)."""


class LibraryNotFoundError(OSError):
    """libstreamdb.so could not be loaded; the message lists every place that was tried."""


_CLASSES: Dict[int, Type[Error]] = {
    ERR_IO: StreamDbIOError,
    ERR_NOT_FOUND: NotFoundError,
    ERR_INVALID: InvalidArgumentError,
    ERR_INTERNAL: InternalError,
    ERR_CORRUPTED: CorruptedError,
    ERR_TOO_LARGE: TooLargeError,
    ERR_FULL: FullError,
    ERR_BUSY: BusyError,
    ERR_READ_ONLY: ReadOnlyError,
    ERR_BUFFER_TOO_SMALL: BufferTooSmallError,
    ERR_TIMEOUT: StreamDbTimeoutError,
}


def error_for_status(status: int, message: Optional[str] = None) -> Error:
    """The exception instance for a status code (an unknown negative code gives :class:`Error`)."""
    cls = _CLASSES.get(status, Error)
    return cls(status, message if message else status_name(status))
