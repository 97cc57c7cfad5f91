"""The hot write path: one prepared UPDATE + INSERT per step, straight through the DBAPI.

A durable step costs one commit; SQLAlchemy's per-statement machinery would cost several
times the commit itself. The SQL is still written by SQLAlchemy, compiled once for the
engine's dialect (so PostgreSQL works the same), and executed with the driver's cursor.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, bindparam, insert, update
from sqlalchemy.sql import ClauseElement

from rpa.store.schema import effects, events, runs

# A step changes only the position columns; the run's status (which is indexed) changes
# rarely, so it has its own statement and the index is not rewritten on every step.
POSITION = ("state", "visit", "step", "attempt", "retry_at", "entered_at", "pending_error",
            "vars", "updated_at")
STATUS = ("status", "owner", "error", "finished_at")
EVENT = ("run_id", "visit", "state", "kind", "step", "activity", "attempt", "status",
         "duration_ms", "error_kind", "error", "output", "at")
_JSON = {"pending_error", "vars", "output", "result"}


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


def _dumps(value: Any) -> str | None:
    return None if value is None else _ENCODER.encode(value)


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


class FastWriter:
    def __init__(self, engine: Engine) -> None:
        self.connection = engine.raw_connection()
        self.update_position = self._update(engine, POSITION)
        self.update_all = self._update(engine, POSITION + STATUS)
        self.insert_event = _Prepared(engine, insert(events).values({c: bindparam(c) for c in EVENT}))
        self.confirm_effect = _Prepared(engine, update(effects).where(effects.c.key == bindparam("k"))
                                        .values(status=bindparam("st"), result=bindparam("result"),
                                                confirmed_at=bindparam("confirmed_at")))

    @staticmethod
    def _update(engine: Engine, columns: tuple[str, ...]) -> _Prepared:
        stmt = update(runs).where(runs.c.id == bindparam("run_id"))
        return _Prepared(engine, stmt.values({c: bindparam(c) for c in columns}))

    def write(self, run_id: str, position: dict[str, Any], new_events: list[dict[str, Any]],
              confirm: tuple[str, Any, float] | None) -> None:
        """`position` holds every POSITION column, and every STATUS column or none of them."""
        run = self.update_all if "status" in position else self.update_position
        cursor = self.connection.cursor()
        try:
            cursor.execute(run.sql, run.params({**position, "run_id": run_id}))
            if new_events:
                cursor.executemany(self.insert_event.sql,
                                   [self.insert_event.params(e) for e in new_events])
            if confirm:
                key, result, at = confirm
                cursor.execute(self.confirm_effect.sql,
                               self.confirm_effect.params({"k": key, "st": "confirmed", "result": result,
                                                           "confirmed_at": at}))
            self.connection.commit()
        except BaseException:
            self.connection.rollback()
            raise
        finally:
            cursor.close()

    def close(self) -> None:
        self.connection.close()
