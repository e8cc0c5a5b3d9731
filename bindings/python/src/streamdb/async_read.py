"""Asynchronous reads: streamdb_read_async completed into concurrent.futures.Future objects.

The library never calls back on its own threads, so a small pool of Python threads waits on
the pending operations (streamdb_op_wait releases the GIL while it waits) and completes the
futures. Waits are sliced so that a future cancelled while pending also cancels its read.
"""

from __future__ import annotations

import ctypes
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Optional

from . import _native
from .errors import ERR_TIMEOUT

_WAIT_SLICE_MS = 100

_executor_lock = threading.Lock()
_executor: Optional[ThreadPoolExecutor] = None


def _waiters() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(thread_name_prefix="streamdb-async")
        return _executor


def start(handle: ctypes.c_void_p, path: bytes, owner: Any) -> "Future[bytes]":
    """Start reading ``path`` in the background; errors starting the read raise at once."""
    op = ctypes.c_void_p()
    _native.check(_native.lib().streamdb_read_async(handle, path, len(path), ctypes.byref(op)))
    future: "Future[bytes]" = Future()
    try:
        _waiters().submit(_complete, op, future, owner)
    except BaseException:
        _native.lib().streamdb_op_free(op)
        raise
    return future


def _complete(op: ctypes.c_void_p, future: "Future[bytes]", owner: Any) -> None:
    library = _native.lib()
    try:
        status = ERR_TIMEOUT
        while status == ERR_TIMEOUT:
            if future.cancelled():
                return
            status = library.streamdb_op_wait(op, _WAIT_SLICE_MS)
        if status < 0:
            _settle(future, failure=_native.error(status))
            return
        data = ctypes.c_void_p()
        length = ctypes.c_size_t()
        status = library.streamdb_op_result(op, ctypes.byref(data), ctypes.byref(length))
        if status < 0:
            _settle(future, failure=_native.error(status))
            return
        _settle(future, result=_native.take_buffer(data, length))
    except BaseException as unexpected:  # never leave a future pending forever
        _settle(future, failure=unexpected)
    finally:
        library.streamdb_op_free(op)  # cancels the read if it is still running
        del owner


def _settle(future: "Future[bytes]", result: bytes = b"", failure: Optional[BaseException] = None) -> None:
    if future.done() or not future.set_running_or_notify_cancel():
        return  # cancelled meanwhile
    if failure is not None:
        future.set_exception(failure)
    else:
        future.set_result(result)
