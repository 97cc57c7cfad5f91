"""Listeners: several heard as one, and a subclass's own hook is not hidden."""

from __future__ import annotations

from typing import Any

from rpa.engine import Listener, Listeners
from rpa.engine.listener import Listener as Base

HOOKS = sorted(name for name in vars(Base) if name.startswith(("start_", "end_", "retry_", "transition")))


class Heard(Listener):
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __getattribute__(self, name: str) -> Any:
        if name in HOOKS:
            return lambda *a, **k: object.__getattribute__(self, "calls").append(name)
        return object.__getattribute__(self, name)


def test_listeners_forward_every_hook_to_each_listener() -> None:
    one, two = Heard(), Heard()
    both = Listeners(one, two)
    for hook in HOOKS:
        getattr(both, hook)()
    assert one.calls == two.calls == HOOKS


def test_listeners_subclass_hook_is_called_and_can_forward() -> None:
    class Counting(Listeners):
        started = 0

        def start_run(self, *args: Any, **kwargs: Any) -> None:
            Counting.started += 1
            super().start_run(*args, **kwargs)

    inner = Heard()
    Counting(inner).start_run("r1", "flow", False)
    assert (Counting.started, inner.calls) == (1, ["start_run"])
