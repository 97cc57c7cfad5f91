"""What starts a flow, written under `triggers:` and read by the orchestrator.

    manual     started by a person (CLI, API, console); every flow can be, this says so
    schedule   a cron expression; each tick starts a run with the given inputs
    watch      a folder and a glob: each new file becomes a queue item the flow consumes,
               and is moved to processed/ or failed/ afterwards
    queue      runs the flow for items of a queue when it holds at least `min_items`,
               with at most `max_concurrent` runs at once
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, field_validator

from rpa.flow.model import Duration


class _Trigger(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Manual(_Trigger):
    type: Literal["manual"]


class Schedule(_Trigger):
    type: Literal["schedule"]
    cron: str
    inputs: dict[str, Any] = Field(default_factory=dict)

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        if not croniter.is_valid(value):
            raise ValueError(f"'{value}' is not a cron expression (e.g. '*/5 * * * *')")
        return value


class Watch(_Trigger):
    type: Literal["watch"]
    folder: str
    glob: str = "*"
    queue: str | None = None  # default: the flow's name
    poll: Duration = 1.0


class Queue(_Trigger):
    type: Literal["queue"]
    queue: str
    min_items: int = Field(default=1, ge=1)
    max_concurrent: int = Field(default=1, ge=1)


Trigger = Annotated[Manual | Schedule | Watch | Queue, Field(discriminator="type")]
