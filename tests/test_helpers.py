"""The deadline helper the tests wait with (issue 11): it returns the state, or fails with what it waited for."""

from __future__ import annotations

import threading

import pytest

from tests.helpers import Timeout, wait_until


def test_wait_until_returns_the_state_once_another_thread_reaches_it():
    reached = threading.Event()
    threading.Thread(target=reached.set).start()
    assert wait_until(lambda: reached.is_set() and "set", 10, "the event") == "set"


def test_wait_until_fails_at_the_deadline_and_names_the_state():
    calls = []
    with pytest.raises(Timeout, match="the impossible state was not reached within 0.05 s"):
        wait_until(lambda: calls.append(1), 0.05, "the impossible state")
    assert len(calls) >= 2, "the predicate was polled, not called once"


def test_wait_until_passes_on_errors_of_the_predicate():
    def broken():
        raise RuntimeError("server exited with 2")

    with pytest.raises(RuntimeError, match="exited with 2"):
        wait_until(broken, 10)
