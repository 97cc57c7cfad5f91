"""A store with a day of work, for the dashboard and the plain-words scan: runs of every
status over the last 24 hours (with step events), queue items of every state, open and
answered tasks (a form review with a page image among them), audit entries, and the robot's
tours when the store has its table. Rows are written at times relative to `now`, in bulk.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import Engine, MetaData, Table, inspect

from rpa.audit import record
from rpa.store.queues import STATUSES as ITEM_STATUSES
from rpa.store.runs import ACTIVE, FINAL
from rpa.store.schema import events, items, runs, tasks
from rpa.web.console.humanize import midnight

HOUR = 3600.0
FLOWS = ("form_processing", "enquiry_triage", "licence_renewal")
# how many runs finish in the hour n hours ago, by outcome: a day with a morning peak
OUTCOMES = {"success": (2, 5, 9, 6, 3), "failure": (0, 1, 0, 2, 1), "business_exception": (1, 0, 1, 0, 0),
            "cancelled": (0, 0, 0, 1, 0)}
FLOW_TEXT = """\
flow: licence_renewal
inputs:
  applicant: {type: str, description: "the name as written on the form"}
triggers:
  - {type: watch, folder: "FOLDER", glob: "*.pdf"}
states:
  read_form:
    next: key_case
  key_case:
    next: finished
  finished: {final: success}
"""


def _run(n: int, status: str, at: float, flow: str) -> dict[str, Any]:
    finished = at if status in FINAL else None
    return dict(id=f"day{n:05d}", flow=flow, flow_path=f"/flows/{flow}.yaml", status=status,
                state="key_case" if finished is None else "finished", visit=2, step=0, attempt=1,
                inputs={"applicant": f"Applicant {n}"}, vars={"applicant": f"Applicant {n}", "case": n},
                error="case system refused the form: reference already used" if status == "failure" else None,
                created_at=at - 40, updated_at=at, finished_at=finished)


def _runs(now: float) -> list[dict[str, Any]]:
    found = []
    for status, shape in OUTCOMES.items():
        for hours_ago in range(24):
            for k in range(shape[hours_ago % len(shape)]):
                found.append(_run(len(found), status, now - hours_ago * HOUR - 60 * (k + 1), FLOWS[k % 3]))
    for status in ACTIVE:
        found.append(_run(len(found), status, now - 300, FLOWS[0]))
    return found


def _event(run: dict[str, Any], kind: str, status: str, after: float, **more: Any) -> dict[str, Any]:
    return {"run_id": run["id"], "visit": 1, "state": "read_form", "kind": kind, "status": status,
            "at": run["created_at"] + after, "step": None, "activity": None, "duration_ms": None, **more}


def _events(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for r in rows for e in (_event(r, "run", "started", 0),
                                       _event(r, "step", "ok", 5, step=0, activity="pdf.words", duration_ms=120.0),
                                       _event(r, "transition", "key_case", 6))]


def _items(now: float) -> list[dict[str, Any]]:
    found = []
    for n in range(60):
        status = ITEM_STATUSES[n % len(ITEM_STATUSES)]
        created = now - (n % 24) * HOUR - 900
        ended = status not in ("new", "in_progress")
        found.append(dict(queue=("forms", "letters")[n % 2], reference=f"REF-{n:03d}", attempt=1,
                          payload={"n": n}, priority=n % 3, status=status, created_at=created,
                          updated_at=created + 600, finished_at=created + 600 if ended else None,
                          error="the form has no signature" if status == "business_exception" else None))
    return found


def _tasks(now: float, run_ids: list[str], image: Path) -> list[dict[str, Any]]:
    review = {"fields": [{"key": "name", "value": "CHAN TAI MAN", "confidence": 0.42, "page": 1,
                          "value_box": [20, 20, 140, 40], "status": "review"}],
              "images": [{"page": 1, "path": str(image), "scale": 2.0}]}
    form = {"type": "object", "properties": {"name": {"type": "string", "title": "Name"}}}
    due = [now - 1800, now + 1200, now + 6 * HOUR, None]
    found = [dict(key=f"day-open-{n}", run_id=run_ids[n], title=f"Check the form of Applicant {n}", form=form,
                  data=review, role="staff", status="open", created_at=now - (n + 1) * 2400,
                  due_at=due[n % len(due)], completed_at=None, completed_by=None, result=None) for n in range(6)]
    found += [dict(key=f"day-done-{n}", run_id=run_ids[10 + n], title=f"Checked form {n}", form=form,
                   data=review, role="staff", status="done", created_at=now - 5 * HOUR, due_at=None,
                   completed_at=now - 4 * HOUR, completed_by="clerk", result={"name": "x"}) for n in range(8)]
    return found


def _page_image(path: Path) -> Path:
    image = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(image).text((45, 45), "CHAN TAI MAN", fill="black")
    image.save(path)
    return path


def _tours(engine: Engine, now: float, midnight: float) -> None:
    if not inspect(engine).has_table("robot_tours"):
        return
    table = Table("robot_tours", MetaData(), autoload_with=engine)
    outcomes = ("completed", "completed", "aborted", "completed", "fault")
    hours = max(1, int((now - midnight) // HOUR))
    rows = [dict(id=f"tour{n}", tour="highlights", map="innovation_lab", lang="en", status=outcomes[n % 5],
                 started_at=midnight + (n * 7919) % hours * HOUR + 60) for n in range(9)]
    with engine.begin() as conn:
        conn.execute(table.insert(), rows)


def seed_day(engine: Engine, now: float, midnight: float, folder: Path) -> dict[str, Any]:
    """Write the day into the store; returns ids the tests visit."""
    made = _runs(now)
    with engine.begin() as conn:
        conn.execute(runs.insert(), made)
        conn.execute(events.insert(), _events(made))
        conn.execute(items.insert(), _items(now))
        conn.execute(tasks.insert(), _tasks(now, [r["id"] for r in made], _page_image(folder / "page1.png")))
    _tours(engine, now, midnight)
    record(engine, "clerk", "task.complete", "1", {"run": made[10]["id"], "decision": "accept"})
    record(engine, "sue", "item.retry", "7", {"queue": "forms", "of": 3})
    by_status = {r["status"]: r["id"] for r in made}
    return {"runs": by_status, "task": 1}


@contextmanager
def midday(now: float) -> Iterator[float]:
    """The console's time zone set where `now` is about noon, so that "today" holds the seeded
    hours whatever the hour of the run (from 16:00 UTC, Hong Kong's midnight, it held none and
    the tours chart was empty); yields that zone's midnight. Kept for the fixture's lifetime."""
    offset = 12 - time.gmtime(now).tm_hour
    name = f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}" if offset else "Etc/GMT"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SMARTLAB_CONSOLE_TIMEZONE", name)
        yield midnight(now)


def busy_app(root: Path, now: float, midnight: float) -> tuple[Any, dict[str, Any]]:
    """An app over a fresh store holding the day (no worker: the rows stay as written), with
    a flow that has a watch trigger, and an admin `boss` and a staff `clerk`."""
    from rpa.auth import add_user
    from rpa.web import create_app
    from tests.rpa.web.console.browsing import PASSWORD

    (root / "flows").mkdir()
    (root / "flows" / "licence_renewal.yaml").write_text(FLOW_TEXT.replace("FOLDER", str(root / "inbox")))
    app = create_app(f"sqlite:///{root / 'day.db'}", root / "flows")
    for name, role in (("boss", "admin"), ("clerk", "staff")):
        add_user(app.state.store.engine, name, role, PASSWORD, actor="test")
    return app, seed_day(app.state.store.engine, now, midnight, root)
