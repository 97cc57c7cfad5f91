"""The context an activity may ask for by naming its first parameter `ctx`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class SetVars(dict):
    """Returned by an activity to assign run variables directly (what `set` does)."""


@dataclass
class Context:
    run_id: str
    flow: str
    state: str
    step: int
    attempt: int = 1
    idempotency_key: str | None = None
    deadline: float | None = None  # time.monotonic() value; None when the state has no timeout
    inputs: Mapping[str, Any] = field(default_factory=dict)
    vars: Mapping[str, Any] = field(default_factory=dict)
    secrets: Mapping[str, Any] = field(default_factory=dict)
    workdir: Path = field(default_factory=Path.cwd)
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("smartlab.flow"))
    subflow: Callable[[str, dict[str, Any]], Any] | None = None  # set by the runner for flow.run
    store: Any = None  # the run's RunStore, for queue and task activities

    def remaining(self, default: float | None = None) -> float | None:
        """Seconds left before the state's timeout; `default` when there is none."""
        if self.deadline is None:
            return default
        return max(0.0, self.deadline - time.monotonic())
