"""Control activities every flow has: set, log, fail, wait."""

from __future__ import annotations

import logging
import time
from typing import Any, Literal

from rpa.activities.context import Context, SetVars
from rpa.activities.spec import activity
from rpa.errors import BusinessError, StepTimeout
from rpa.flow.model import parse_duration


@activity("set")
def set_(**values: Any) -> SetVars:
    """Assign run variables: every key of `with:` becomes `vars.<key>`."""
    return SetVars(values)


@activity("log")
def log(ctx: Context, message: str, level: Literal["debug", "info", "warning", "error"] = "info") -> str:
    """Write a message to the run's log (and the step timeline)."""
    ctx.log.log(logging.getLevelName(level.upper()), "%s", message)
    return message


@activity("fail")
def fail(message: str, code: str | None = None) -> None:
    """Stop this path with a BusinessError carrying `message`; `catch:` may route it."""
    raise BusinessError(f"{code}: {message}" if code else message)


@activity("wait")
def wait(ctx: Context, seconds: float | str) -> float:
    """Pause for a duration (`2s`, `500ms`, or seconds); a state timeout still applies."""
    total = parse_duration(seconds)
    left = ctx.remaining(default=total)
    time.sleep(min(total, left))
    if left < total:
        raise StepTimeout(f"state timeout ran out while waiting {total:g}s")
    return total
