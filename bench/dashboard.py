"""The dashboard with a busy day in the store (10,000 runs in the last 24 hours, 2,000 queue
items, 200 open tasks): the whole page beside its SQL alone, and beside the dashboard before
the charts (its four table queries), each timed in turn.

    python bench/dashboard.py [--runs 10000] [--repeat 30]

1. Page: GET /console/ through the ASGI app (session, SQL, charts, Jinja2) as an admin.
2. Chart SQL alone: the five queries of rpa/store/trends.py on the same engine.
3. Baseline, the tables alone: the four queries the dashboard made before the charts.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # run from anywhere, never shadow stdlib

import argparse  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import Engine, insert  # noqa: E402

from rpa.auth import add_user  # noqa: E402
from rpa.store import QueueStore, trends  # noqa: E402
from rpa.store.schema import items, runs, tasks  # noqa: E402
from rpa.store.views import open_tasks, recent_failures, runs_by_status  # noqa: E402
from rpa.web import create_app  # noqa: E402

PASSWORD = "bench password 1"
OUTCOMES = ("success", "success", "success", "failure", "business_exception", "cancelled")


def _seed(engine: Engine, count: int, now: float) -> None:
    spread = 24 * 3600 / count
    made = [dict(id=f"b{n:07d}", flow=f"flow{n % 4}", flow_path=f"/flows/flow{n % 4}.yaml",
                 status=OUTCOMES[n % len(OUTCOMES)], state="done", visit=2, step=0, attempt=1, inputs={},
                 vars={"note": "x" * 200}, created_at=now - n * spread - 30, updated_at=now - n * spread,
                 finished_at=now - n * spread) for n in range(count)]
    queued = [dict(queue=f"q{n % 3}", reference=f"R{n}", attempt=1, payload={}, priority=0,
                   status="done" if n % 4 else "new", created_at=now - n * 40, updated_at=now - n * 40 + 20,
                   finished_at=now - n * 40 + 20 if n % 4 else None) for n in range(count // 5)]
    waiting = [dict(key=f"t{n}", run_id=f"b{n * 7:07d}", title=f"Check form {n}", form={}, role="staff",
                    status="open", created_at=now - n * 300, due_at=now - n * 300 + 7200) for n in range(200)]
    with engine.begin() as conn:
        conn.execute(insert(runs), made)
        conn.execute(insert(items), queued)
        conn.execute(insert(tasks), waiting)


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _charts_sql(engine: Engine, now: float) -> None:
    trends.runs_per_hour(engine, now, 24), trends.queue_flow(engine, now, 24)
    trends.tasks_against_due(engine, now, 12), trends.review_share(engine, now, 24, 12)
    trends.tours_today(engine, now, now - 12 * 3600)


def _tables_sql(engine: Engine) -> None:
    runs_by_status(engine), QueueStore(engine).summary(), open_tasks(engine, 10), recent_failures(engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "flows").mkdir()
        app = create_app(f"sqlite:///{folder}/bench.db", Path(folder) / "flows")
        engine, now = app.state.store.engine, time.time()
        _seed(engine, args.runs, now)
        add_user(engine, "bench", "admin", PASSWORD, actor="bench")
        client = TestClient(app)
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/login").text).group(1)
        client.post("/console/login", data={"username": "bench", "password": PASSWORD, "csrf": token})
        cases = {"page": lambda: client.get("/console/"), "chart SQL alone": lambda: _charts_sql(engine, now),
                 "tables SQL alone (before the charts)": lambda: _tables_sql(engine)}
        for call in cases.values():
            call()  # warm caches (SQLite pages, compiled templates)
        laps = [[_timed(call) for call in cases.values()] for _ in range(args.repeat)]
        medians = [statistics.median(lap[i] for lap in laps) * 1000 for i in range(len(cases))]
    print(f"dashboard with {args.runs} runs in 24 h, median of {args.repeat}, timed in turn (ms)")
    print(f"{'case':40} {'ms':>8} {'x tables SQL':>13}")
    for name, ms in zip(cases, medians, strict=True):
        print(f"{name:40} {ms:8.2f} {ms / medians[2]:12.1f}x")


if __name__ == "__main__":
    main()
