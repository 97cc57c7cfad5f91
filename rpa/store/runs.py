"""The run repository: create, advance and read runs; the effect ledger beside them.

`advance` appends one step boundary (the run's new position, its variables and the timeline
events it closed) to the append-only step log; a run's position is its last log row, and its
run row is written only when its status changes. The durability contract (docs/development.md):
a boundary that confirms an effect or changes the status is committed before `advance`
returns; the ledger's intent is written, with every boundary waiting before it, before the
effect is called; other boundaries (steps without effects) are committed in groups, so a
SIGKILL loses at most the group still waiting — steps without effects, re-run on resume —
and never a confirmed effect. Runs made before the log have no rows and resume from their row.

Every other operation takes a connection from the engine's pool for itself and gives it back
(a transaction per write, a connection per read), so one RunStore serves many threads — the
web server's request threads — and nothing is shared between them. The hot step writer keeps
one raw connection per thread.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from rpa.errors import RunError, StoreError
from rpa.store.db import open_engine
from rpa.store.fastpath import POSITION, FastWriter, Group
from rpa.store.owner import current_owner, owner_alive
from rpa.store.schema import effects, events, runs, step_log

_EVENT_DEFAULTS = dict.fromkeys(
    ("step", "activity", "attempt", "duration_ms", "error_kind", "error", "output"))
FINAL = ("success", "business_exception", "failure", "cancelled")
# running: a process has it · waiting: parked on a human task · ready: for a worker to pick up
# interrupted: its process stopped; resumable · cancelling: asked to stop at the next step
ACTIVE = ("running", "waiting", "ready", "interrupted", "cancelling")
RESUMABLE = ("running", "ready", "interrupted", "cancelling")


@dataclass
class RunRecord:
    id: str
    flow: str
    flow_path: str
    status: str
    state: str
    visit: int
    step: int
    attempt: int
    inputs: dict[str, Any]
    vars: dict[str, Any]
    retry_at: float | None = None
    entered_at: float | None = None
    pending_error: dict[str, Any] | None = None
    item: Any = None
    owner: str | None = None
    parent_id: str | None = None
    error: str | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    finished_at: float | None = None
    flow_hash: str | None = None  # the flow's source when the run started
    seq: int = 0  # its last step-log row (0: none yet)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.status in FINAL

    @property
    def shown_status(self) -> str:
        """What a person should read: a 'running' run whose process died is interrupted."""
        return shown_status(self.status, self.owner)

    @classmethod
    def from_row(cls, row: Any) -> RunRecord:
        """A row of `RUN_VIEW` (or of `runs`): the run row, its position from its last log row."""
        values = dict(row._mapping)
        last = {name: values.pop(f"log_{name}", None) for name in _LAST_COLUMNS}
        if last["seq"] is not None:
            values.update({name: last[name] for name in (*POSITION, "seq")})
            values["updated_at"] = max(values["updated_at"], last["at"])
        return cls(**values)


@dataclass(frozen=True)
class Effect:
    key: str
    run_id: str
    activity: str
    status: str
    result: Any
    issued: int


class RunStore:
    """All reads and writes of runs go through here (SQLite or PostgreSQL alike)."""

    def __init__(self, url: str | None = None, engine: Engine | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.owns_engine = engine is None  # a borrowed engine is its lender's to dispose
        self.engine = engine or open_engine(url)
        self.clock = clock  # every time the store writes, and the age of a group of boundaries
        self.group = Group.from_settings()
        self._local = threading.local()  # this thread's step writer
        self._writers: list[FastWriter] = []
        self._writers_lock = threading.Lock()

    # -- connections --------------------------------------------------------------------------
    def close(self) -> None:
        with self._writers_lock:
            for writer in self._writers:
                writer.close()
            self._writers.clear()
        self._local = threading.local()
        if self.owns_engine:
            self.engine.dispose()

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"store read failed: {exc.__class__.__name__}: {exc.args[0]}") from exc

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"store write failed: {exc.__class__.__name__}: {exc.args[0]}") from exc

    def _write(self, *statements: Any) -> None:
        with self._writing() as conn:
            for stmt, params in statements:
                conn.execute(stmt, params) if params is not None else conn.execute(stmt)

    def _rows(self, query: Any) -> list[Any]:
        with self._reading() as conn:
            return conn.execute(query).all()

    def _one(self, query: Any) -> Any:
        with self._reading() as conn:
            return conn.execute(query).first()

    # -- runs ---------------------------------------------------------------------------------
    def create_run(self, flow: str, flow_path: str, state: str, inputs: dict[str, Any],
                   item: Any = None, parent_id: str | None = None, run_id: str | None = None,
                   status: str = "running", flow_hash: str | None = None) -> RunRecord:
        """A new run; `status='ready'` queues it for a worker instead of this process."""
        now = self.clock()
        owner = current_owner() if status == "running" else None
        row = dict(id=run_id or uuid.uuid4().hex[:16], flow=flow, flow_path=flow_path,
                   status=status, state=state, visit=1, step=0, attempt=1, entered_at=now,
                   inputs=inputs, vars={}, item=item, owner=owner, parent_id=parent_id,
                   created_at=now, updated_at=now, flow_hash=flow_hash)
        self._write((insert(runs), row),
                    (insert(events), _event(row["id"], 1, state, "run", "started", now)))
        return RunRecord(**row)

    def find(self, run_id: str) -> RunRecord | None:
        """The run with exactly this id, or None."""
        row = self._one(RUN_VIEW.where(runs.c.id == run_id))
        return None if row is None else RunRecord.from_row(row)

    def get(self, run_id: str) -> RunRecord:
        """The run with this id or unique id prefix; RunError when there is none."""
        with self._reading() as conn:
            row = conn.execute(RUN_VIEW.where(runs.c.id == run_id)).first()
            if row is None:
                row = conn.execute(RUN_VIEW.where(runs.c.id.startswith(run_id))).first()
        if row is None:
            raise RunError(f"no run with id '{run_id}'")
        return RunRecord.from_row(row)

    @property
    def writer(self) -> FastWriter:
        """This thread's step writer (a raw connection of its own)."""
        writer = getattr(self._local, "writer", None)
        if writer is None:
            writer = self._local.writer = FastWriter(self.engine, self.group, self.clock)
            with self._writers_lock:
                self._writers.append(writer)
        return writer

    def advance(self, run_id: str, seq: int, position: dict[str, Any], new_events: Iterable[dict[str, Any]],
                confirm: tuple[str, Any] | None = None, status: dict[str, Any] | None = None) -> None:
        """Append boundary `seq` of a run: its position (every POSITION column) and events.
        Committed at once with an effect's `confirm`ation or a `status` change (every STATUS
        column, written to the run row too), else with its group."""
        row = {**position, "run_id": run_id, "seq": seq, "events": list(new_events), "at": self.clock()}
        try:  # not `with self._translated()`: a generator context manager per step costs a tenth of it
            self.writer.append(row, confirm, status)
        except self.engine.dialect.loaded_dbapi.Error as exc:
            raise _write_failed(exc) from exc

    def flush(self) -> None:
        """Commit this thread's waiting boundaries (before a wait, a hand-over, an effect)."""
        writer = getattr(self._local, "writer", None)
        if writer is not None and writer.pending:
            with self._translated():
                writer.flush()

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except self.engine.dialect.loaded_dbapi.Error as exc:
            raise _write_failed(exc) from exc

    def claim(self, run_id: str, force: bool = False) -> RunRecord:
        """Take a run over for this process; RunError if it ended or a live process has it.

        A compare-and-set on (status, owner): of two processes claiming at once, one wins.
        """
        run = self.get(run_id)
        if run.finished:
            raise RunError(f"run {run.id} already ended: {run.status}")
        mine = run.owner == current_owner()
        if run.status in ("running", "cancelling") and owner_alive(run.owner) and not (force or mine):
            raise RunError(f"run {run.id} is still running in {run.owner}")
        stmt = (update(runs).where(runs.c.id == run.id, runs.c.status == run.status,
                                   _same_owner(run.owner))
                .values(owner=current_owner(), status="running" if run.status != "cancelling"
                        else "cancelling", updated_at=self.clock()))
        if self._changed(stmt) != 1:
            raise RunError(f"run {run.id} was claimed by another process")
        return self.get(run.id)

    def _changed(self, stmt: Any) -> int:
        with self._writing() as conn:
            return conn.execute(stmt).rowcount

    def mark_ready(self, run_id: str, status: str, owner: str | None) -> bool:
        """Hand an interrupted run to the workers (compare-and-set on status and owner)."""
        stmt = (update(runs).where(runs.c.id == run_id, runs.c.status == status, _same_owner(owner))
                .values(status="ready", owner=None, updated_at=self.clock()))
        return self._changed(stmt) == 1

    def status_of(self, run_id: str) -> str:
        return self._one(select(runs.c.status).where(runs.c.id == run_id))[0]

    def position(self, run_id: str) -> tuple[str, float] | None:
        """(status as a person reads it, last change) of a run, or None: what a live page watches."""
        row = self._one(select(runs.c.status, runs.c.updated_at, runs.c.owner, _LAST_AT.label("logged"))
                        .where(runs.c.id == run_id))
        if row is None:
            return None
        return shown_status(row.status, row.owner), max(row.updated_at, row.logged or 0.0)

    def request_cancel(self, run_id: str) -> str:
        """Cancel now if no process runs it; otherwise ask its process to stop at the next step."""
        run = self.get(run_id)
        if run.finished:
            raise RunError(f"run {run.id} already ended: {run.status}")
        now = self.clock()
        if run.status in ("running", "cancelling") and owner_alive(run.owner):
            self._write((update(runs).where(runs.c.id == run.id), {"status": "cancelling", "updated_at": now}))
            return "cancelling"
        self._write((update(runs).where(runs.c.id == run.id),
                     {"status": "cancelled", "owner": None, "finished_at": now, "updated_at": now,
                      "error": "cancelled on request"}),
                    (insert(events), _event(run.id, run.visit, run.state, "run", "cancelled", now)))
        return "cancelled"

    def next_ready(self) -> RunRecord | None:
        """Claim the oldest `ready` run for this process (API-started runs, completed tasks)."""
        pick = (select(runs.c.id).where(runs.c.status == "ready").order_by(runs.c.updated_at)
                .limit(1).with_for_update(skip_locked=True).scalar_subquery())
        stmt = (update(runs).where(runs.c.id == pick, runs.c.status == "ready")
                .values(status="running", owner=current_owner(), updated_at=self.clock())
                .returning(runs.c.id))
        with self._writing() as conn:
            row = conn.execute(stmt).first()
        return None if row is None else self.get(row[0])

    def release(self, run_id: str, status: str = "interrupted", error: str | None = None) -> None:
        self.flush()  # the steps done so far are kept
        values: dict[str, Any] = {"status": status, "owner": None, "updated_at": self.clock()}
        if error is not None:
            values["error"] = error
        self._write((update(runs).where(runs.c.id == run_id, runs.c.status.in_(("running", "cancelling"))),
                     values))

    def interrupted(self) -> list[RunRecord]:
        """Unfinished runs whose owning process is gone: what `resume --all` picks up."""
        # sub-flow runs are resumed by their parent's step, not on their own
        rows = self._rows(RUN_VIEW.where(runs.c.status.in_(RESUMABLE), runs.c.parent_id.is_(None))
                          .order_by(runs.c.created_at))
        live = ("running", "cancelling")
        return [r for r in map(RunRecord.from_row, rows) if r.status not in live or not owner_alive(r.owner)]

    def list(self, status: str | None = None, flow: str | None = None, limit: int = 50,
             offset: int = 0) -> list[RunRecord]:
        query = RUN_VIEW.order_by(runs.c.created_at.desc()).limit(limit).offset(offset)
        if status:
            query = query.where(runs.c.status == status)
        if flow:
            query = query.where(runs.c.flow == flow)
        return [RunRecord.from_row(r) for r in self._rows(query)]

    def count(self, status: str | None = None) -> int:
        query = select(func.count()).select_from(runs)
        if status:
            query = query.where(runs.c.status == status)
        return int(self._one(query)[0])

    def events(self, run_id: str) -> list[dict[str, Any]]:
        """The run's timeline, oldest first: its step-log rows' events among its event rows
        (a run's start and a cancel without its process; every event of runs before the log)."""
        with self._reading() as conn:
            rows = conn.execute(select(events).where(events.c.run_id == run_id).order_by(events.c.id)).all()
            logged = conn.execute(select(step_log.c.seq, step_log.c.events, step_log.c.at)
                                  .where(step_log.c.run_id == run_id).order_by(step_log.c.seq)).all()
        found = [dict(r._mapping) for r in rows]
        found += [{**_EVENT_DEFAULTS, "id": None, "run_id": run_id, "at": at, **e, "seq": seq}
                  for seq, boundary, at in logged for e in boundary]
        return sorted(found, key=lambda e: e["at"])

    # -- effect ledger ------------------------------------------------------------------------
    def effect(self, key: str) -> Effect | None:
        row = self._one(select(effects).where(effects.c.key == key))
        if row is None:
            return None
        m = row._mapping
        return Effect(m["key"], m["run_id"], m["activity"], m["status"], m["result"], m["issued"])

    def effect_intent(self, key: str, run_id: str, activity: str, intent: Any) -> None:
        """Write the intent before the call: a crash after this re-issues with the same key.
        The boundaries waiting in this thread are committed first."""
        self.flush()
        existing = self.effect(key)
        if existing is None:
            row = dict(key=key, run_id=run_id, activity=activity, intent=intent,
                       status="pending", issued=1, created_at=self.clock())
            self._write((insert(effects), row))
        else:
            self._write((update(effects).where(effects.c.key == key),
                         {"issued": existing.issued + 1}))

    def effects_of(self, run_id: str) -> list[dict[str, Any]]:
        rows = self._rows(select(effects).where(effects.c.run_id == run_id).order_by(effects.c.created_at))
        return [dict(r._mapping) for r in rows]


def shown_status(status: str, owner: str | None) -> str:
    """What a person should read: a 'running' run whose process died is interrupted."""
    return "interrupted" if status == "running" and not owner_alive(owner) else status


def _same_owner(owner: str | None) -> Any:
    return runs.c.owner.is_(None) if owner is None else runs.c.owner == owner


def _event(run_id: str, visit: int, state: str, kind: str, status: str, at: float) -> dict[str, Any]:
    return {**_EVENT_DEFAULTS, "run_id": run_id, "visit": visit, "state": state, "kind": kind,
            "status": status, "at": at}


_LAST_COLUMNS = (*POSITION, "seq", "at")
_later = step_log.alias("later")
_LAST_SEQ = select(func.max(_later.c.seq)).where(_later.c.run_id == runs.c.id).scalar_subquery()
_LAST_AT = (select(step_log.c.at).where(step_log.c.run_id == runs.c.id)
            .order_by(step_log.c.seq.desc()).limit(1).scalar_subquery())
# Every run column, and its last step-log row's position beside them (`log_*`, NULL without one).
RUN_VIEW = (select(runs, *(step_log.c[name].label(f"log_{name}") for name in _LAST_COLUMNS))
            .select_from(runs.outerjoin(step_log, and_(step_log.c.run_id == runs.c.id,
                                                       step_log.c.seq == _LAST_SEQ))))


def _write_failed(exc: Exception) -> StoreError:
    return StoreError(f"store write failed: {exc.__class__.__name__}: {exc}")
