"""Human tasks: a person's part of a run. Completing one validates the submitted data against
the task's form (a JSON Schema) and makes the waiting run ready to resume."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select, update

from rpa.errors import BusinessError, RunError
from rpa.store.schema import runs, tasks


@dataclass(frozen=True)
class Task:
    id: int
    key: str
    run_id: str
    title: str
    form: dict[str, Any]
    data: Any
    attachments: list[str] | None
    role: str
    due_at: float | None
    status: str
    result: Any
    completed_by: str | None
    created_at: float
    completed_at: float | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _task(row: Any) -> Task:
    return Task(**dict(row._mapping))


class TaskStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, key: str, run_id: str, title: str, form: dict[str, Any], data: Any = None,
               attachments: list[str] | None = None, role: str = "staff",
               due_at: float | None = None) -> Task:
        existing = self.by_key(key)
        if existing is not None:
            return existing
        row = dict(key=key, run_id=run_id, title=title, form=form, data=data,
                   attachments=attachments, role=role, due_at=due_at, status="open",
                   created_at=time.time())
        with self.engine.begin() as conn:
            new_id = conn.execute(insert(tasks).values(**row)).inserted_primary_key[0]
        return self.get(new_id)

    def get(self, task_id: int) -> Task:
        with self.engine.connect() as conn:
            row = conn.execute(select(tasks).where(tasks.c.id == task_id)).first()
        if row is None:
            raise RunError(f"no task {task_id}")
        return _task(row)

    def by_key(self, key: str) -> Task | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(tasks).where(tasks.c.key == key)).first()
        return None if row is None else _task(row)

    def list(self, status: str | None = "open", role: str | None = None, limit: int = 100) -> list[Task]:
        query = select(tasks).order_by(tasks.c.id).limit(limit)
        if status:
            query = query.where(tasks.c.status == status)
        if role:
            query = query.where(tasks.c.role == role)
        with self.engine.connect() as conn:
            return [_task(r) for r in conn.execute(query).all()]

    def complete(self, task_id: int, data: Any, by: str = "cli") -> Task:
        """Validate `data` against the form, store it, and make the waiting run ready."""
        task = self.get(task_id)
        if task.status != "open":
            raise RunError(f"task {task_id} is {task.status}, not open")
        problem = _invalid(task.form, data)
        if problem:
            raise BusinessError(f"task {task_id}: the data does not fit the form: {problem}")
        now = time.time()
        with self.engine.begin() as conn:
            done = conn.execute(update(tasks).where(tasks.c.id == task_id, tasks.c.status == "open")
                                .values(status="done", result=data, completed_by=by, completed_at=now))
            if done.rowcount != 1:
                raise RunError(f"task {task_id} was completed by someone else")
            _wake(conn, task.run_id)
        return self.get(task_id)

    def escalate_overdue(self, now: float | None = None) -> list[Task]:
        """Mark open tasks past their due time (at `now`, default the clock) as escalated and
        wake their runs."""
        now = time.time() if now is None else now
        due = [t for t in self.list("open") if t.due_at is not None and t.due_at < now]
        with self.engine.begin() as conn:
            for t in due:
                conn.execute(update(tasks).where(tasks.c.id == t.id, tasks.c.status == "open")
                             .values(status="escalated", completed_at=now))
                _wake(conn, t.run_id)
        return due


def _wake(conn: Any, run_id: str) -> None:
    conn.execute(update(runs).where(runs.c.id == run_id, runs.c.status == "waiting")
                 .values(status="ready", updated_at=time.time()))


def _invalid(form: dict[str, Any], data: Any) -> str | None:
    import jsonschema  # only when an answer is checked: it costs start-up time

    try:
        jsonschema.validate(data, form)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path)
        return f"{where + ': ' if where else ''}{exc.message}"
    except jsonschema.SchemaError as exc:
        return f"the task's form is not a valid JSON Schema: {exc.message}"
    return None
