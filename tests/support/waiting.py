"""Waiting for something another thread or process does, without sleeping a fixed time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def eventually(check: Callable[[], Any], timeout: float = 60.0, interval: float = 0.05,
               what: str | Callable[[], object] = "condition") -> Any:
    """Poll until `check()` is truthy and return that value; the timeout is a safety net for a
    hung test, not an assertion on speed. `what` (text, or a function giving it) names the
    condition in the AssertionError raised on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what() if callable(what) else what} not met within {timeout}s")
        time.sleep(interval)
