"""Listeners hear a run's progress; every hook is a no-op until a subclass fills it in."""

from __future__ import annotations

from typing import Any

from rpa.errors import ActivityError
from rpa.flow.compiler import CompiledStep


class Listener:
    def start_run(self, run_id: str, flow: str, resumed: bool) -> None: ...

    def start_state(self, state: str) -> None: ...

    def start_step(self, state: str, step: CompiledStep, attempt: int) -> None: ...

    def end_step(self, state: str, step: CompiledStep, status: str, duration_ms: float,
                 output: Any = None, error: ActivityError | None = None) -> None: ...

    def retry_wait(self, state: str, step: CompiledStep, seconds: float) -> None: ...

    def transition(self, source: str, target: str) -> None: ...

    def end_run(self, run_id: str, status: str, error: str | None) -> None: ...


class Listeners(Listener):
    """Several listeners heard as one."""

    def __init__(self, *listeners: Listener) -> None:
        self._all = listeners

    def __getattribute__(self, name: str) -> Any:
        if name.startswith(("start_", "end_", "retry_", "transition")):
            hooks = [getattr(x, name) for x in object.__getattribute__(self, "_all")]
            return lambda *a, **k: [h(*a, **k) for h in hooks] and None
        return object.__getattribute__(self, name)
