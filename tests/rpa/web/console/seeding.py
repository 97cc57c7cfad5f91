"""Many runs in one bulk insert, for the runs page's scale test and bench/console.py; form
review tasks for the review page's tests and `bench/console.py --review`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import Engine, insert

from rpa.store import RunStore, TaskStore
from rpa.store.schema import events, runs

STATUSES = ("success", "failure", "waiting", "business_exception", "cancelled")


def seed_runs(engine: Engine, count: int, start: float = 1_700_000_000.0) -> list[str]:
    """`count` finished-looking runs, one second apart; returns their ids, newest first."""
    rows = [dict(id=f"r{n:07d}", flow=f"flow{n % 4}", flow_path=f"/flows/flow{n % 4}.yaml",
                 status=STATUSES[n % len(STATUSES)], state="done", visit=2, step=0, attempt=1,
                 inputs={"n": n}, vars={"n": n, "note": "x" * 200},
                 error="boom" if n % len(STATUSES) == 1 else None,
                 created_at=start + n, updated_at=start + n, finished_at=start + n)
            for n in range(count)]
    started = [dict(run_id=r["id"], visit=1, state="start", kind="run", status="started", at=r["created_at"])
               for r in rows]
    with engine.begin() as conn:
        conn.execute(insert(runs), rows)
        conn.execute(insert(events), started)
    return [r["id"] for r in reversed(rows)]


# Form-review tasks as the form bot leaves them (flows/form_processing.yaml's human.task), for
# the review page's tests and `bench/console.py --review`: (key, label, value, status,
# confidence, doubts) drawn on one page image, boxes in its pixels.
REVIEW_FIELDS: tuple[tuple[str, str, str, str, float, list[dict[str, Any]]], ...] = (
    ("applicant_name", "Name of Applicant:", "CHAN Tai-man", "review", 0.62,
     [{"why": "low_confidence", "confidence": 0.62, "threshold": 0.9},
      {"why": "second_look", "reading": "CHAN Tai-rnan"}]),
    ("hkid", "HKID Card No.:", "A123456(3)", "review", 0.85,
     [{"why": "low_confidence", "confidence": 0.85, "threshold": 0.9}, {"why": "label", "score": 0.81}]),
    ("phone", "Telephone:", "91234567", "accepted", 0.98, []),
    ("email", "E-mail:", "chan@example.org", "accepted", 0.95, []),
    ("date_of_birth", "Date of Birth:", "1980-02-29", "accepted", 0.97, []),
)
ROW, LABEL_X, VALUE_X = 60, 40, 300
ZH_LABELS = {"applicant_name": "申請人姓名", "hkid": "香港身份證號碼", "phone": "聯絡電話號碼", "email": "電郵地址",
             "date_of_birth": "出生日期"}


def review_page_image(path: Path) -> Path:
    """A plain form page with the labels and values of REVIEW_FIELDS, 800 x 360 pixels."""
    image = Image.new("RGB", (800, 360), "white")
    draw = ImageDraw.Draw(image)
    for n, (_, label, value, *_rest) in enumerate(REVIEW_FIELDS):
        draw.text((LABEL_X, 40 + n * ROW), label, fill="black")
        draw.text((VALUE_X, 40 + n * ROW), value, fill="black")
    image.save(path)
    return path


def review_data(image: Path, form_type: str = "licence_application") -> dict[str, Any]:
    fields = [{"key": key, "value": value, "confidence": conf, "page": 1, "status": status, "doubts": doubts,
               "key_box": [LABEL_X - 4, 34 + n * ROW, LABEL_X + 150, 56 + n * ROW],
               "value_box": [VALUE_X - 4, 34 + n * ROW, VALUE_X + 160, 56 + n * ROW], "problem": None,
               "label": {"en": label.rstrip(":"), "zh": ZH_LABELS[key]}}
              for n, (key, label, value, status, conf, doubts) in enumerate(REVIEW_FIELDS)]
    return {"kind": "form_review", "form_type": form_type, "file": "form.pdf", "fields": fields,
            "review": [f["key"] for f in fields if f["status"] != "accepted"],
            "images": [{"page": 1, "path": str(image), "scale": 1.0}]}


def seed_review_tasks(store: RunStore, image: Path, count: int, due_at: float = 1.0) -> list[int]:
    """`count` open form-review tasks, due one second apart from `due_at` (so they come first in
    the inbox), each on a run of its own; returns their ids in inbox order."""
    data = review_data(image)
    form = {"type": "object", "properties": dict.fromkeys(data["review"], {"type": "string"})}
    ids = []
    for n in range(count):
        run = store.create_run("form_processing", "/flows/form_processing.yaml", "review", {}, status="cancelled")
        task = TaskStore(store.engine).create(f"review-seed-{run.id}", run.id, f"Check licence form {n + 1:02d}",
                                              form, data, due_at=due_at + n)
        ids.append(task.id)
    return ids


def seed_generic_task(store: RunStore, image: Path) -> int:
    """An open review task for a form no template matched: fields keyed by their labels as read."""
    data = review_data(image, form_type="unknown")
    for field, (_, label, *_rest) in zip(data["fields"], REVIEW_FIELDS, strict=True):
        field["key"] = label.rstrip(":")
        del field["label"]  # a generic pair's key is its label as read
        kept = [d for d in field["doubts"] if d["why"] != "label"]  # no template, so no label to match
        field["doubts"] = [*kept, {"why": "no_template"}] if field["status"] != "accepted" else []
    data["review"] = [f["key"] for f in data["fields"] if f["status"] != "accepted"]
    form = {"type": "object", "properties": {f["key"]: {"type": "string"} for f in data["fields"]}}
    run = store.create_run("form_processing", "/flows/form_processing.yaml", "review", {}, status="cancelled")
    return TaskStore(store.engine).create(f"generic-seed-{run.id}", run.id, "Check unknown form", form, data,
                                          due_at=4_000_000_000.0).id
