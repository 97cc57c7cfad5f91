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
    """Several listeners heard as one. Each hook is a plain method, so a subclass may override
    one and call `super()` (the hooks used to be made up in `__getattribute__`, which hid such
    an override: the CLI's run-start audit never ran)."""

    def __init__(self, *listeners: Listener) -> None:
        self._all = listeners

    def _each(self, hook: str, *args: Any, **kwargs: Any) -> None:
        for listener in self._all:
            getattr(listener, hook)(*args, **kwargs)

    def start_run(self, *args: Any, **kwargs: Any) -> None:
        self._each("start_run", *args, **kwargs)

    def start_state(self, *args: Any, **kwargs: Any) -> None:
        self._each("start_state", *args, **kwargs)

    def start_step(self, *args: Any, **kwargs: Any) -> None:
        self._each("start_step", *args, **kwargs)

    def end_step(self, *args: Any, **kwargs: Any) -> None:
        self._each("end_step", *args, **kwargs)

    def retry_wait(self, *args: Any, **kwargs: Any) -> None:
        self._each("retry_wait", *args, **kwargs)

    def transition(self, *args: Any, **kwargs: Any) -> None:
        self._each("transition", *args, **kwargs)

    def end_run(self, *args: Any, **kwargs: Any) -> None:
        self._each("end_run", *args, **kwargs)
