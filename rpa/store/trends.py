"""Read queries for the dashboard's charts: the store's work over time, one query per chart.

Each takes `now` (the caller's clock, so tests give exact figures) and reads a bounded
window (`hours` back from the current clock hour) with a LIMIT; the grouping by hour is done
in SQL (`floor`, in SQLite from 3.35 and in PostgreSQL), so a busy store costs one grouped
scan, not rows. Robot tours are read from the robot's own `robot_tours` table by name,
only when the store has it (the robot package made it): `rpa` never imports the robot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, case, column, func, inspect, literal, or_, select, table, union_all

from rpa.store.runs import FINAL
from rpa.store.schema import items, runs, tasks

HOUR = 3600.0
TOURS = table("robot_tours", column("status"), column("started_at"))  # receptionist_robot/store.py


@dataclass(frozen=True)
class Window:
    """`hours` one-hour buckets, the last one holding `now`."""

    start: float
    hours: int

    @classmethod
    def ending(cls, now: float, hours: int) -> Window:
        return cls(start=(now // HOUR) * HOUR - (hours - 1) * HOUR, hours=hours)

    @property
    def starts(self) -> list[float]:
        return [self.start + n * HOUR for n in range(self.hours)]

    def bucket(self, at: Any) -> Any:
        return func.floor((at - self.start) / HOUR)


@dataclass(frozen=True)
class Hourly:
    """Counts per hour and per key (a status): `counts[key][n]` is the hour `starts[n]`."""

    starts: list[float]
    counts: dict[str, list[int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(map(sum, self.counts.values()))


def _hourly(window: Window, rows: Any, keys: tuple[str, ...] = ()) -> Hourly:
    counts = {key: [0] * window.hours for key in keys}
    for bucket, key, count in rows:
        if bucket is not None and 0 <= int(bucket) < window.hours:
            counts.setdefault(key, [0] * window.hours)[int(bucket)] += int(count)
    return Hourly(window.starts, counts)


def runs_per_hour(engine: Engine, now: float, hours: int) -> Hourly:
    """Runs that finished in each hour, by outcome (success, failure, ...)."""
    window = Window.ending(now, hours)
    bucket = window.bucket(runs.c.finished_at).label("bucket")
    # no status filter: only a finished run has finished_at, and `status IN (...)` would make
    # SQLite walk ix_runs_status row by row (measured 1.7x slower than the scan, bench/dashboard.py)
    query = (select(bucket, runs.c.status, func.count())
             .where(runs.c.finished_at >= window.start, runs.c.finished_at <= now)
             .group_by(bucket, runs.c.status).limit(hours * len(FINAL) * 2))
    with engine.connect() as conn:
        return _hourly(window, conn.execute(query).all())


@dataclass(frozen=True)
class QueueFlow:
    """Items waiting at the end of each hour, and items finished in it, over every queue."""

    starts: list[float]
    waiting: list[int]
    finished: list[int]

    @property
    def empty(self) -> bool:
        return not any(self.waiting) and not any(self.finished)


def queue_flow(engine: Engine, now: float, hours: int) -> QueueFlow:
    """One statement: items open when the window began, then arrivals and departures per hour."""
    window = Window.ending(now, hours)
    arrived, left = window.bucket(items.c.created_at), window.bucket(items.c.finished_at)
    parts = (
        select(literal("open"), literal(-1), func.count()).where(
            items.c.created_at < window.start,
            or_(items.c.finished_at.is_(None), items.c.finished_at >= window.start)),
        select(literal("in"), arrived, func.count()).where(
            items.c.created_at >= window.start, items.c.created_at <= now).group_by(arrived),
        select(literal("out"), left, func.count()).where(
            items.c.finished_at >= window.start, items.c.finished_at <= now).group_by(left),
    )
    with engine.connect() as conn:
        rows = conn.execute(union_all(*parts).limit(2 * hours + 1)).all()
    return _depths(window, rows)


def _depths(window: Window, rows: Any) -> QueueFlow:
    moves = _hourly(window, [(bucket, kind, n) for kind, bucket, n in rows], ("in", "out"))
    depth = sum(int(n) for kind, _, n in rows if kind == "open")
    waiting = []
    for came, went in zip(moves.counts["in"], moves.counts["out"], strict=True):
        depth += came - went
        waiting.append(depth)
    return QueueFlow(window.starts, waiting, moves.counts["out"])


def tasks_against_due(engine: Engine, now: float, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Open tasks due soonest first (no due time last), each with its age and time allowed,
    and how many are open in all."""
    query = (select(tasks.c.id, tasks.c.title, tasks.c.created_at, tasks.c.due_at,
                    func.count().over().label("total"))
             .where(tasks.c.status == "open")
             .order_by(tasks.c.due_at.is_(None), tasks.c.due_at, tasks.c.id).limit(limit))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    total = rows[0]["total"] if rows else 0
    return [_aged(row, now) for row in rows], int(total)


def _aged(row: dict[str, Any], now: float) -> dict[str, Any]:
    due = row["due_at"]
    allowed = None if due is None else max(0.0, due - row["created_at"])
    return {"id": row["id"], "title": row["title"], "age": max(0.0, now - row["created_at"]),
            "allowed": allowed, "due_at": due, "overdue": due is not None and due < now,
            "due_soon": due is not None and now <= due < now + HOUR}


def review_share(engine: Engine, now: float, hours: int, limit: int) -> list[dict[str, Any]]:
    """Per flow, the runs finished in the window, and how many of them asked a person (a task)."""
    start = Window.ending(now, hours).start
    # `id IN (the tasks' runs)`: one list built once, instead of a join and two DISTINCT counts
    finished, asked = func.count(), func.sum(case((runs.c.id.in_(select(tasks.c.run_id)), 1), else_=0))
    query = (select(runs.c.flow, finished.label("runs"), asked.label("reviewed"))
             .where(runs.c.finished_at >= start, runs.c.finished_at <= now)
             .group_by(runs.c.flow).order_by(finished.desc(), runs.c.flow).limit(limit))
    with engine.connect() as conn:
        found = [dict(r._mapping) for r in conn.execute(query)]
    return [{**f, "reviewed": int(f["reviewed"]), "auto": f["runs"] - int(f["reviewed"])} for f in found]


def tours_today(engine: Engine, now: float, since: float) -> Hourly | None:
    """Robot tours started since `since` (today's midnight), by hour and outcome; None when the
    store keeps no tour records (the robot package is not installed)."""
    if not inspect(engine).has_table("robot_tours"):
        return None
    hours = max(1, int((now - since) // HOUR) + 1)
    window = Window(start=since, hours=hours)
    bucket = window.bucket(TOURS.c.started_at).label("bucket")
    query = (select(bucket, TOURS.c.status, func.count())
             .where(TOURS.c.started_at >= since, TOURS.c.started_at <= now)
             .group_by(bucket, TOURS.c.status).limit(hours * 8))
    with engine.connect() as conn:
        return _hourly(window, conn.execute(query).all())
