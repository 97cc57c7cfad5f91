"""The hot write path: the step log, appended in groups, straight through the DBAPI.

A step boundary is one row of `step_log`. Rows of steps without effects wait in memory for
their group (`SMARTLAB_STEP_GROUP` rows or `SMARTLAB_STEP_GROUP_MS` of age, whichever comes
first) and are written with one `executemany` and one commit; a boundary that confirms an
effect or changes the run's status commits at once, with whatever waits before it. Nothing is
held open between commits, so other connections (other threads, other processes, SQLite's one
writer) never wait on a group. The SQL is written by SQLAlchemy, compiled once for the
engine's dialect (so PostgreSQL works the same), and executed with the driver's cursor.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine, bindparam, insert, update
from sqlalchemy.sql import ClauseElement

from rpa.settings import SettingError, integer
from rpa.store.schema import effects, runs, step_log

# The position a boundary leaves the run at: a log row's columns, and the run row's at a status change.
POSITION = ("state", "visit", "step", "attempt", "retry_at", "entered_at", "pending_error", "vars")
STATUS = ("status", "owner", "error", "finished_at")
LOG = ("run_id", "seq", *POSITION, "events", "at")
_JSON = {"pending_error", "vars", "events", "result"}


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)
_ORJSON = orjson.OPT_NON_STR_KEYS  # keys as the stdlib writes them (1 -> "1")


def _dumps(value: Any) -> str | None:
    """Compact JSON text (any JSON reader, the other store and old rows' readers included).
    orjson, a fifth of the stdlib encoder's time; what it refuses (an int past 64 bits, nesting
    past 254) the stdlib encoder writes. A NaN or infinity is written as null, as JSON has them."""
    if value is None:
        return None
    try:
        return orjson.dumps(value, default=str, option=_ORJSON).decode()
    except orjson.JSONEncodeError:
        return _ENCODER.encode(value)


class _Prepared:
    """A statement compiled for one dialect, taking a dict of values in any paramstyle.

    The order of the values and which of them are JSON are worked out once, here: a step
    pays one `itemgetter` call and an encode per JSON value, not a loop over every column.
    """

    def __init__(self, engine: Engine, stmt: ClauseElement) -> None:
        compiled = stmt.compile(dialect=engine.dialect)
        self.sql = str(compiled)
        order: Sequence[str] | None = compiled.positiontup
        self.positional = order is not None
        names = list(order) if order is not None else list(compiled.binds)
        self.take = operator.itemgetter(*names) if len(names) > 1 else lambda v: (v[names[0]],)
        self.json_at = tuple(i for i, name in enumerate(names) if name in _JSON)
        self.json_names = tuple(name for name in names if name in _JSON)

    def params(self, values: dict[str, Any]) -> Any:
        if self.positional:  # positional paramstyle (SQLite): a sequence in SQL order
            row = self.take(values)
            if not self.json_at:
                return row
            row = list(row)
            for i in self.json_at:
                row[i] = _dumps(row[i])
            return row
        named = dict(values)
        for name in self.json_names:
            if name in named:
                named[name] = _dumps(named[name])
        return named


@dataclass(frozen=True)
class Group:
    """How many effect-free boundaries may wait for one commit, and for how long."""

    steps: int
    seconds: float

    @classmethod
    def from_settings(cls) -> Group:
        return cls(_least("SMARTLAB_STEP_GROUP", 1), _least("SMARTLAB_STEP_GROUP_MS", 0) / 1000)


def _least(name: str, least: int) -> int:
    value = integer(name)
    if value < least:
        raise SettingError(f"{name}={value} must be at least {least}")
    return value


class FastWriter:
    """One thread's step-log writer: a raw connection of its own and the rows waiting for it."""

    def __init__(self, engine: Engine, group: Group, clock: Callable[[], float]) -> None:
        self.connection = engine.raw_connection()
        self.group, self.clock = group, clock
        self.insert_log = _Prepared(engine, insert(step_log).values({c: bindparam(c) for c in LOG}))
        self.update_run = _Prepared(engine, update(runs).where(runs.c.id == bindparam("run_id")).values(
            {c: bindparam(c) for c in (*POSITION, *STATUS, "updated_at")}))
        self.confirm_effect = _Prepared(engine, update(effects).where(effects.c.key == bindparam("k"))
                                        .values(status=bindparam("st"), result=bindparam("result"),
                                                confirmed_at=bindparam("confirmed_at")))
        self.pending: list[Any] = []
        self.since = 0.0  # when the oldest waiting row was appended

    def append(self, row: dict[str, Any], confirm: tuple[str, Any] | None = None,
               status: dict[str, Any] | None = None) -> None:
        """Add one boundary; commit now if it must be durable at once or its group is due."""
        now = row["at"]
        if not self.pending:
            self.since = now
        self.pending.append(self.insert_log.params(row))
        if confirm or status or len(self.pending) >= self.group.steps or now - self.since >= self.group.seconds:
            self.flush(confirm, {**row, **status} if status else None)

    def flush(self, confirm: tuple[str, Any] | None = None, run: dict[str, Any] | None = None) -> None:
        """Commit what waits (and an effect's confirmation, and the run row at a status change).
        A failed commit drops the rows: their steps are re-run on resume, as after a kill."""
        if not (self.pending or confirm or run):
            return
        rows, self.pending = self.pending, []
        cursor = self.connection.cursor()
        try:
            self._execute(cursor, rows, confirm, run)
            self.connection.commit()
        except BaseException:
            self.connection.rollback()
            raise
        finally:
            cursor.close()

    def _execute(self, cursor: Any, rows: list[Any], confirm: tuple[str, Any] | None,
                 run: dict[str, Any] | None) -> None:
        if rows:
            cursor.executemany(self.insert_log.sql, rows) if len(rows) > 1 else \
                cursor.execute(self.insert_log.sql, rows[0])
        if confirm:
            key, result = confirm
            cursor.execute(self.confirm_effect.sql, self.confirm_effect.params(
                {"k": key, "st": "confirmed", "result": result, "confirmed_at": self.clock()}))
        if run:
            cursor.execute(self.update_run.sql, self.update_run.params({**run, "updated_at": run["at"]}))

    def discard(self) -> None:
        """Forget what waits (what a killed process loses)."""
        self.pending = []

    def close(self) -> None:
        self.connection.close()
