"""SmartLab's error tree; the type of an error decides what happens next.

    SmartLabError
    ├── FlowError            a flow file is wrong; found at load time, carries path:line:col
    │   └── FlowErrors       several FlowErrors from one validation, reported together
    ├── ActivityError        raised while a step runs
    │   ├── BusinessError    bad data: routed by `catch`, never retried
    │   │   └── TaskOverdue  a human task passed its due time (an escalation)
    │   └── ApplicationError system trouble: retried per `retry`, then routed by `catch`
    │       └── StepTimeout  a state's `timeout` ran out
    ├── Suspended            not a failure: a step waits on a person; the run is parked
    ├── RunError             a run cannot be started, found or resumed (unknown id, claimed elsewhere)
    │   ├── InputError       a run's inputs are unknown, missing or of the wrong type
    │   ├── FlowChanged      the flow's file changed since the run started (resume --force overrides)
    │   └── NotServed        the flow is not in the served catalog (web and triggers start only those)
    └── StoreError           the database cannot be reached or is not ours
"""

from __future__ import annotations

from dataclasses import dataclass


class SmartLabError(Exception):
    """Root of every error SmartLab raises on purpose."""


@dataclass(frozen=True)
class Location:
    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


class FlowError(SmartLabError):
    """A mistake in a flow file, reported as `path:line:col: message`."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class FlowErrors(FlowError):
    """Every error found in one validation, so an author fixes them in one pass."""

    def __init__(self, errors: list[FlowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class ActivityError(SmartLabError):
    """Raised by an activity; subclasses say whether retrying can help."""

    retryable = False

    @property
    def kind(self) -> str:
        return type(self).__name__


class BusinessError(ActivityError):
    """The data is wrong (a missing field, a rejected form): route it, do not retry."""


class ApplicationError(ActivityError):
    """The system misbehaved (timeout, HTTP 503, browser crash): retry per policy."""

    retryable = True


class StepTimeout(ApplicationError):
    """A state's `timeout:` ran out before its steps finished."""


class TaskOverdue(BusinessError):
    """A human task was not completed by its due time."""


class Suspended(SmartLabError):
    """Raised by a step that must wait for the outside world (a person completing a task).

    The run is parked with status `waiting` and no process holds it; when the task is
    completed the run becomes `ready` and is resumed at the same step.
    """


class RunError(SmartLabError):
    """A run cannot be started, found or resumed."""


class InputError(RunError):
    """A run's inputs are unknown, missing or of the wrong type: nothing was started."""


class FlowChanged(RunError):
    """The flow's source changed since the run started: resuming could run a different step."""


class NotServed(RunError):
    """The flow is not in the catalog being served; the web and triggers start only those."""


class StoreError(SmartLabError):
    """The run store cannot be reached or holds something unexpected."""


# Names usable in `catch: - error: NAME`; `Error` catches both kinds.
CATCHABLE: dict[str, tuple[type[ActivityError], ...]] = {
    "BusinessError": (BusinessError,),
    "ApplicationError": (ApplicationError,),
    "StepTimeout": (StepTimeout,),
    "TaskOverdue": (TaskOverdue,),
    "Error": (BusinessError, ApplicationError),
}
