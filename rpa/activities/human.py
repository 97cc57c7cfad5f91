"""`human.task`: ask a person, and park the run until they answer.

The first call creates the task (keyed by the step's idempotency key) and suspends the run;
no process waits. Completing the task makes the run ready; the resumed step finds the
answer and returns it. Past its due time the task escalates: the step raises TaskOverdue.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from rpa.activities.context import Context
from rpa.activities.spec import activity
from rpa.errors import ApplicationError, Suspended, TaskOverdue
from rpa.flow.model import parse_duration
from rpa.store.tasks import TaskStore

ANY_OBJECT: dict[str, Any] = {"type": "object"}


@activity("human.task", effect=True)
def task(ctx: Context, title: str, form: dict[str, Any] | None = None, data: Any = None,
         attachments: list[str] | None = None,
         role: Literal["staff", "supervisor", "admin", "developer"] = "staff",
         due: str | None = None) -> Any:
    """Create a task for a person (a JSON-Schema `form`, the `data` to show, `attachments`,
    the `role` that may answer, a `due` duration such as 4h) and wait for the answer."""
    if ctx.store is None or ctx.idempotency_key is None:
        raise ApplicationError("human.task needs the runner's store")
    tasks = TaskStore(ctx.store.engine)
    found = tasks.by_key(ctx.idempotency_key)
    if found is None:
        due_at = time.time() + parse_duration(due) if due else None
        found = tasks.create(ctx.idempotency_key, ctx.run_id, title, form or ANY_OBJECT, data,
                             attachments, role, due_at)
    if found.status == "done":
        return found.result
    if found.status == "escalated":
        raise TaskOverdue(f"task {found.id} '{found.title}' passed its due time unanswered")
    raise Suspended(f"waiting for task {found.id}: {found.title}")


ACTIVITIES = [task]
