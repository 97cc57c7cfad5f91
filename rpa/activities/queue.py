"""Work-queue activities: add, next, complete, fail — the transaction-loop pattern's parts.

Each is an effect, so a resumed run neither adds twice, nor claims a second item for the
same step, nor completes twice. The lease owner of a claimed item is the run itself.
"""

from __future__ import annotations

from typing import Any, Literal

from rpa.activities.context import Context
from rpa.activities.spec import activity
from rpa.errors import ApplicationError, BusinessError
from rpa.store.queues import LeaseLost, QueueStore


def _queues(ctx: Context) -> QueueStore:
    if ctx.store is None:
        raise ApplicationError("queue activities need the run's store")
    return QueueStore(ctx.store.engine)


@activity("queue.add", effect=True)
def add(ctx: Context, queue: str, payload: Any = None, reference: str | None = None,
        priority: int = 0, files: list[str] | None = None) -> dict[str, Any]:
    """Add an item; a reference already in the queue returns the existing item
    (the default reference is the step's idempotency key, so a resumed run adds once)."""
    item, created = _queues(ctx).add(queue, reference or ctx.idempotency_key or "", payload,
                                     priority=priority, files=files)
    return {**item.as_dict(), "created": created}


@activity("queue.next", effect=True)
def next_item(ctx: Context, queue: str, lease_seconds: float | None = None) -> dict[str, Any] | None:
    """Claim the next item (leased to this run), or none when the queue is empty or paused."""
    queues = _queues(ctx)
    item = queues.claim(queue, ctx.run_id, lease_seconds)
    if item is None:
        return None
    queues.attach_run(item.id, ctx.run_id, ctx.run_id)
    return {**item.as_dict(), "run_id": ctx.run_id}


@activity("queue.complete", effect=True)
def complete(ctx: Context, item: int, output: Any = None) -> dict[str, Any]:
    """Mark a claimed item done with its output."""
    try:
        return _queues(ctx).complete(item, ctx.run_id, output).as_dict()
    except LeaseLost as exc:
        raise BusinessError(str(exc)) from exc


@activity("queue.fail", effect=True)
def fail(ctx: Context, item: int, error: str,
         kind: Literal["business", "application"] = "business") -> dict[str, Any] | None:
    """Mark a claimed item failed. An application failure under the queue's max_attempts is
    queued again as a new attempt (returned); a business failure is final."""
    try:
        retry = _queues(ctx).fail(item, ctx.run_id, kind, error)
    except LeaseLost as exc:
        raise BusinessError(str(exc)) from exc
    return None if retry is None else retry.as_dict()


ACTIVITIES = [add, next_item, complete, fail]
