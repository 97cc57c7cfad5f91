"""Read views for the console's pages: only the columns a page shows, one round trip each.

The console reads the store only through these and the repositories (RunStore, QueueStore,
TaskStore), never its tables. Listing runs reads neither `inputs` nor `vars` (JSON that can
be large), and counts by the same filter, so a page of 50 out of 10,000 runs costs two
indexed queries.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, case, func, select

from rpa.store.runs import shown_status
from rpa.store.schema import items, runs, step_log, tasks

PAGE_SIZE = 50
LIST_COLUMNS = (runs.c.id, runs.c.flow, runs.c.status, runs.c.state, runs.c.owner, runs.c.error,
                runs.c.created_at, runs.c.updated_at, runs.c.finished_at)

# A run in motion keeps its position in its last step-log row, not in its run row.
_later = step_log.alias("later")
_LAST = step_log.alias("last")
_IN_MOTION = runs.outerjoin(_LAST, and_(_LAST.c.run_id == runs.c.id, _LAST.c.seq == (
    select(func.max(_later.c.seq)).where(_later.c.run_id == runs.c.id).scalar_subquery())))
LIVE_COLUMNS = (runs.c.id, runs.c.flow, runs.c.status, func.coalesce(_LAST.c.state, runs.c.state).label("state"),
                runs.c.owner, runs.c.error, runs.c.created_at,
                case((_LAST.c.at > runs.c.updated_at, _LAST.c.at), else_=runs.c.updated_at).label("updated_at"),
                runs.c.finished_at)


@dataclass(frozen=True)
class RunFilter:
    status: str = ""
    flow: str = ""
    id_prefix: str = ""

    def apply(self, query: Any) -> Any:
        if self.status:
            query = query.where(runs.c.status == self.status)
        if self.flow:
            query = query.where(runs.c.flow == self.flow)
        if self.id_prefix:
            query = query.where(runs.c.id.startswith(self.id_prefix))
        return query


def list_runs(engine: Engine, where: RunFilter, page: int) -> tuple[list[dict[str, Any]], int]:
    """One page of runs, newest first (a page past the end shows the last), and how many match."""
    total = where.apply(select(func.count()).select_from(runs))
    with engine.connect() as conn:
        count = int(conn.execute(total).scalar_one())
        page = min(page, max(1, -(-count // PAGE_SIZE)))
        query = where.apply(select(*LIVE_COLUMNS).select_from(_IN_MOTION)).order_by(runs.c.created_at.desc())
        rows = [dict(r._mapping) for r in conn.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))]
    for row in rows:
        row["status"] = shown_status(row["status"], row["owner"])
    return rows, count


def flow_names(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(select(runs.c.flow).distinct().order_by(runs.c.flow))]


def runs_by_status(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(runs.c.status, func.count()).group_by(runs.c.status)).all()
    return {status: int(count) for status, count in sorted(rows)}


def recent_failures(engine: Engine, limit: int = 5) -> list[dict[str, Any]]:
    query = (select(*LIST_COLUMNS).where(runs.c.status.in_(("failure", "business_exception")))
             .order_by(runs.c.updated_at.desc()).limit(limit))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def open_tasks(engine: Engine, limit: int = 100, now: float | None = None) -> list[dict[str, Any]]:
    """Open tasks, the ones due soonest first (no due date last), each `overdue` at `now`
    (epoch seconds; the clock when not given)."""
    query = (select(tasks.c.id, tasks.c.title, tasks.c.role, tasks.c.run_id, tasks.c.due_at, tasks.c.created_at)
             .where(tasks.c.status == "open")
             .order_by(tasks.c.due_at.is_(None), tasks.c.due_at, tasks.c.id).limit(limit))
    with engine.connect() as conn:
        found = [dict(r._mapping) for r in conn.execute(query)]
    at = time.time() if now is None else now
    return [{**t, "overdue": bool(t["due_at"] and t["due_at"] < at)} for t in found]


_SIGNATURE = select(
    select(func.count()).select_from(runs).scalar_subquery(),
    select(func.max(runs.c.updated_at)).scalar_subquery(),
    select(func.count()).select_from(tasks).where(tasks.c.status == "open").scalar_subquery(),
    select(func.max(tasks.c.id)).scalar_subquery(),
    select(func.max(tasks.c.completed_at)).scalar_subquery(),
    select(func.max(items.c.updated_at)).scalar_subquery(),
)


def store_signature(engine: Engine) -> tuple[object, ...]:
    """What the live lists show, coarsely (counts and newest changes): a change is worth a reload."""
    with engine.connect() as conn:
        return tuple(conn.execute(_SIGNATURE).one())
