"""What an activity is: a plain function tagged with a name, an effect flag and typed parameters.

`@activity` only tags; registration is an explicit `ACTIVITIES = [...]` list per package.
Parameters are read from the signature once, so a flow is checked when it is compiled.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

MISSING: Any = inspect.Parameter.empty
CONTEXT_PARAM = "ctx"


@dataclass(frozen=True)
class Param:
    name: str
    annotation: Any
    default: Any = MISSING
    adapter: TypeAdapter = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    @property
    def required(self) -> bool:
        return self.default is MISSING

    @property
    def type_name(self) -> str:
        return _type_name(self.annotation)


@dataclass(frozen=True)
class ActivitySpec:
    name: str
    func: Callable[..., Any]
    effect: bool
    params: dict[str, Param]
    takes_context: bool
    open_params: bool  # `**kwargs`: any name is accepted (e.g. `set`)
    doc: str

    @property
    def summary(self) -> str:
        """The docstring's first paragraph on one line."""
        return " ".join(self.doc.strip().split("\n\n")[0].split())


def activity(name: str, *, effect: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Tag `func` as the activity `name`; `effect=True` puts its calls in the effect ledger."""

    def tag(func: Callable[..., Any]) -> Callable[..., Any]:
        func.__activity__ = spec_of(name, func, effect)  # type: ignore[attr-defined]
        return func

    return tag


def spec_of(name: str, func: Callable[..., Any], effect: bool) -> ActivitySpec:
    hints = typing.get_type_hints(func)
    params: dict[str, Param] = {}
    takes_context = open_params = False
    for p in inspect.signature(func).parameters.values():
        if p.name == CONTEXT_PARAM:
            takes_context = True
        elif p.kind is p.VAR_KEYWORD:
            open_params = True
        else:
            annotation = hints.get(p.name, Any)
            params[p.name] = Param(p.name, annotation, p.default, TypeAdapter(annotation))
    return ActivitySpec(name, func, effect, params, takes_context, open_params, func.__doc__ or "")


def spec(func: Callable[..., Any]) -> ActivitySpec:
    try:
        return func.__activity__  # type: ignore[attr-defined]
    except AttributeError:
        raise TypeError(f"{func!r} is not tagged with @activity") from None


def _type_name(annotation: Any) -> str:
    if annotation is Any:
        return "any"
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "").replace("pathlib.", "")
