"""The exception hierarchy."""

from __future__ import annotations

import pickle

import pytest

import streamdb
from streamdb.errors import error_for_status, status_name

CLASSES = {
    -1: (streamdb.StreamDbIOError, OSError),
    -2: (streamdb.NotFoundError, KeyError),
    -3: (streamdb.InvalidArgumentError, ValueError),
    -4: (streamdb.InternalError, None),
    -5: (streamdb.CorruptedError, None),
    -6: (streamdb.TooLargeError, None),
    -7: (streamdb.FullError, None),
    -8: (streamdb.BusyError, None),
    -9: (streamdb.ReadOnlyError, None),
    -10: (streamdb.BufferTooSmallError, None),
    -11: (streamdb.StreamDbTimeoutError, TimeoutError),
}


@pytest.mark.parametrize("status", sorted(CLASSES))
def test_every_status_has_its_own_error_class(status: int) -> None:
    cls, builtin = CLASSES[status]
    error = error_for_status(status, "what went wrong")
    assert type(error) is cls
    assert isinstance(error, streamdb.Error) and isinstance(error, Exception)
    if builtin is not None:
        assert isinstance(error, builtin)
    assert error.status == status
    assert error.message == "what went wrong"
    assert str(error) == "what went wrong"
    assert status_name(status) in repr(error)
    with pytest.raises(streamdb.Error):
        raise error


@pytest.mark.parametrize("status", sorted(CLASSES))
def test_errors_survive_pickling(status: int) -> None:
    copy = pickle.loads(pickle.dumps(error_for_status(status, "message")))
    assert type(copy) is CLASSES[status][0]
    assert (copy.status, copy.message) == (status, "message")


def test_an_os_error_subclass_does_not_read_the_status_as_errno() -> None:
    error = error_for_status(-1, "disk said no")
    assert str(error) == "disk said no"
    assert error.errno is None


def test_an_unknown_status_gives_the_base_class_and_a_name() -> None:
    error = error_for_status(-99)
    assert type(error) is streamdb.Error
    assert error.status == -99
    assert "-99" in str(error)


def test_error_without_a_message_falls_back_to_the_status_name() -> None:
    assert str(error_for_status(-2)) == "STREAMDB_ERR_NOT_FOUND"


def test_library_errors_carry_the_library_message(db: streamdb.Database) -> None:
    with pytest.raises(streamdb.NotFoundError) as caught:
        db.read("/no/such/document")
    assert caught.value.message
    assert str(caught.value) == caught.value.message
    with pytest.raises(streamdb.InvalidArgumentError) as invalid:
        db.write("", b"x")
    assert invalid.value.message and invalid.value.message != caught.value.message


def test_the_message_belongs_to_the_failing_call_even_after_successes(db: streamdb.Database) -> None:
    db.write("/a", b"1")
    with pytest.raises(streamdb.NotFoundError) as first:
        db.read("/missing-one")
    db.read("/a")
    with pytest.raises(streamdb.NotFoundError) as second:
        db.read("/missing-one")
    assert first.value.message == second.value.message


def test_a_not_found_error_can_be_caught_as_key_error(db: streamdb.Database) -> None:
    try:
        db["/missing"]
    except KeyError as error:
        assert isinstance(error, streamdb.NotFoundError)
    else:
        pytest.fail("no KeyError")


def test_library_not_found_error_is_an_os_error() -> None:
    assert issubclass(streamdb.LibraryNotFoundError, OSError)
