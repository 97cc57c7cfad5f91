"""The flow language as frozen pydantic models: what a YAML flow may say, and nothing more."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

IDENT = r"^[A-Za-z_][A-Za-z0-9_]*$"
FINAL_STATUSES = ("success", "business_exception", "failure")
INPUT_TYPES = ("str", "int", "float", "bool", "path", "list", "dict")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(value: Any) -> float:
    """`2s`, `500ms`, `1.5m`, `1h` or a number of seconds -> seconds."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 2s, 500ms or 1m")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*", str(value))
        if not match:
            raise ValueError(f"'{value}' is not a duration (use e.g. 2s, 500ms, 1m, 1h)")
        seconds = float(match[1]) * _UNITS[match[2] or "s"]
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    return seconds


_DURATION_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(ms|s|m|h)?\s*$"},
    ],
    "description": "seconds, or a duration such as 500ms, 2s, 1.5m, 1h",
}
Duration = Annotated[float, BeforeValidator(parse_duration), WithJsonSchema(_DURATION_SCHEMA)]
Ident = Annotated[str, Field(pattern=IDENT)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class InputSpec(_Model):
    """A typed flow input; one without a default is required unless `required: false`."""

    type: Literal["str", "int", "float", "bool", "path", "list", "dict"] = "str"
    default: Any = None
    required: bool | None = None
    description: str = ""

    @property
    def is_required(self) -> bool:
        return self.required if self.required is not None else self.default is None


class Step(_Model):
    """One activity call. `when:` makes it conditional; `as:` keeps its result in `vars`."""

    activity: str
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    as_: Ident | None = Field(default=None, alias="as")
    when: str | None = None
    name: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.activity


class Retry(_Model):
    """Retry policy for ApplicationErrors: exponential backoff, capped, optionally jittered."""

    max_attempts: int = Field(default=3, ge=1)
    backoff: Duration = 1.0
    max_backoff: Duration = 60.0
    factor: float = Field(default=2.0, ge=1.0)
    jitter: bool = False


class Catch(_Model):
    """Route an error to a state; `as:` keeps `{kind, message}` in `vars`."""

    error: Literal["BusinessError", "ApplicationError", "StepTimeout", "TaskOverdue", "Error"]
    goto: str
    as_: Ident | None = Field(default=None, alias="as")


class Branch(_Model):
    """Go to `goto` when `when` is true; branches are tried in order before `next`."""

    when: str
    goto: str


class State(_Model):
    description: str = ""
    do: tuple[Step, ...] = ()
    finally_: tuple[Step, ...] = Field(default=(), alias="finally")
    on: tuple[Branch, ...] = ()
    next: str | None = None
    catch: tuple[Catch, ...] = ()
    retry: Retry | None = None
    timeout: Duration | None = None
    final: Literal["success", "business_exception", "failure"] | None = None

    @model_validator(mode="after")
    def _final_states_do_nothing(self) -> State:
        if self.final and (self.do or self.finally_ or self.on or self.next or self.catch):
            raise ValueError("a final state cannot have do, finally, on, next or catch")
        return self

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.do + self.finally_

    def targets(self) -> list[str]:
        """Every state this one may go to, in the order they are tried."""
        found = [b.goto for b in self.on] + ([self.next] if self.next else [])
        return found + [c.goto for c in self.catch]


class Flow(_Model):
    flow: Ident
    description: str = ""
    triggers: tuple[Trigger, ...] = ()
    inputs: dict[Ident, InputSpec] = Field(default_factory=dict)
    secrets: tuple[Ident, ...] = ()
    uses: tuple[str, ...] = ()
    start: str | None = None
    states: dict[Ident, State] = Field(min_length=1)

    @property
    def start_state(self) -> str:
        return self.start or next(iter(self.states))

    def consumed_queue(self) -> tuple[str, int, int] | None:
        """The queue whose items start runs of this flow: (name, max concurrent, min items)."""
        for t in self.triggers:
            if t.type == "queue":
                return t.queue, t.max_concurrent, t.min_items
            if t.type == "watch":
                return t.queue or self.flow, 1, 1
        return None


from rpa.flow.triggers import Trigger  # noqa: E402  (triggers use Duration, defined above)

Flow.model_rebuild()
