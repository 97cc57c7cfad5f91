"""The dashboard's queries (rpa/store/trends.py) on a real store, SQLite and PostgreSQL, with
rows written at exact times and `now` given: the figures each chart draws."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, Table, insert, inspect

from rpa.store.schema import items, runs, tasks
from rpa.store.trends import Window, queue_flow, review_share, runs_per_hour, tasks_against_due, tours_today

pytestmark = pytest.mark.postgresql  # floor() and the union run on both back ends

NOW = 1_764_770_700.0  # 14:05 UTC; its clock hour began at 1_764_770_400
HOUR = 3600.0


def _run(n: int, status: str, finished: float | None, flow: str = "forms") -> dict[str, Any]:
    return dict(id=f"r{n:04d}", flow=flow, flow_path=f"/{flow}.yaml", status=status, state="done", visit=1,
                step=0, attempt=1, inputs={}, vars={}, created_at=(finished or NOW) - 10,
                updated_at=finished or NOW, finished_at=finished)


def _item(n: int, created: float, finished: float | None, status: str = "done") -> dict[str, Any]:
    return dict(queue="forms", reference=f"F-{n}", attempt=1, payload={}, priority=0, status=status,
                created_at=created, updated_at=finished or created, finished_at=finished)


def _task(n: int, run_id: str, created: float, due: float | None, status: str = "open") -> dict[str, Any]:
    return dict(key=f"k{n}", run_id=run_id, title=f"Task {n}", form={}, role="staff", status=status,
                created_at=created, due_at=due)


def _put(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        conn.execute(insert(table), rows)


def test_window_ends_with_the_hour_holding_now() -> None:
    window = Window.ending(NOW, 3)
    assert window.starts == [1_764_770_400 - 2 * HOUR, 1_764_770_400 - HOUR, 1_764_770_400]


def test_runs_per_hour_counts_finished_runs_by_outcome_inside_the_window(engine: Engine) -> None:
    this_hour = 1_764_770_400.0
    _put(engine, runs, [_run(1, "success", this_hour + 1), _run(2, "success", this_hour + 200),
                        _run(3, "failure", this_hour - HOUR + 5), _run(4, "success", this_hour - 3 * HOUR),
                        _run(5, "waiting", None), _run(6, "success", NOW + 60)])  # old, unfinished, future
    found = runs_per_hour(engine, NOW, 3)
    assert found.counts == {"success": [0, 0, 2], "failure": [0, 1, 0]}
    assert found.total == 3


def test_queue_flow_counts_items_waiting_at_each_hour_and_finished_in_it(engine: Engine) -> None:
    h0 = 1_764_770_400.0 - 2 * HOUR  # the window's first hour
    _put(engine, items, [_item(1, h0 - 500, None, "new"),  # waiting since before the window
                         _item(2, h0 - 400, h0 + 100),  # waiting at the start, finished in hour 0
                         _item(3, h0 + HOUR + 10, None, "in_progress"),  # arrives in hour 1
                         _item(4, h0 + HOUR + 20, h0 + 2 * HOUR + 30),  # arrives in hour 1, leaves in 2
                         _item(5, h0 - 9000, h0 - 8000)])  # came and went before the window
    found = queue_flow(engine, NOW, 3)
    assert (found.waiting, found.finished) == ([1, 3, 2], [1, 0, 1])
    assert not found.empty


def test_queue_flow_of_an_empty_store_is_empty(engine: Engine) -> None:
    found = queue_flow(engine, NOW, 24)
    assert found.empty and len(found.starts) == 24


def test_tasks_against_due_are_soonest_first_with_age_and_time_allowed(engine: Engine) -> None:
    _put(engine, tasks, [_task(1, "r1", NOW - 7200, NOW - 600), _task(2, "r1", NOW - 60, None),
                         _task(3, "r2", NOW - 300, NOW + 1200), _task(4, "r2", NOW - 50, NOW + 9000),
                         _task(5, "r3", NOW - 50, NOW + 10, "done")])
    shown, total = tasks_against_due(engine, NOW, 3)
    assert total == 4
    assert [(t["id"], t["age"], t["allowed"], t["overdue"], t["due_soon"]) for t in shown] == [
        (1, 7200.0, 6600.0, True, False), (3, 300.0, 1500.0, False, True), (4, 50.0, 9050.0, False, False)]


def test_review_share_counts_runs_that_asked_a_person_per_flow(engine: Engine) -> None:
    _put(engine, runs, [_run(1, "success", NOW - 100), _run(2, "success", NOW - 90),
                        _run(3, "failure", NOW - 80), _run(4, "success", NOW - 70, flow="hello"),
                        _run(5, "success", NOW - 30 * HOUR, flow="old")])
    _put(engine, tasks, [_task(1, "r0001", NOW - 200, None, "done"), _task(2, "r0001", NOW - 150, None, "done")])
    assert review_share(engine, NOW, 24, 10) == [
        {"flow": "forms", "runs": 3, "reviewed": 1, "auto": 2}, {"flow": "hello", "runs": 1, "reviewed": 0, "auto": 1}]


def test_tours_today_is_none_without_the_robots_table(engine: Engine) -> None:
    if inspect(engine).has_table("robot_tours"):  # the robot package is installed: its migrations made it
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE robot_tours")
    assert tours_today(engine, NOW, NOW - 3600) is None


def test_tours_today_counts_tours_by_hour_and_outcome(engine: Engine) -> None:
    if not inspect(engine).has_table("robot_tours"):
        pytest.skip("the robot package is not installed, so the store has no robot_tours table")
    midnight = NOW - 14 * HOUR - 300
    rows = [dict(id=f"t{n}", tour="highlights", map="lab", lang="en", status=status, started_at=at)
            for n, (status, at) in enumerate([("completed", midnight + 60), ("completed", midnight + 13 * HOUR),
                                              ("aborted", midnight + 13 * HOUR + 9), ("completed", midnight - 5)])]
    with engine.begin() as conn:
        conn.execute(insert(_tours_table(engine)), rows)
    found = tours_today(engine, NOW, midnight)
    assert found is not None and len(found.starts) == 15
    assert (found.counts["completed"][0], found.counts["completed"][13], found.counts["aborted"][13]) == (1, 1, 1)
    assert found.total == 3


def _tours_table(engine: Engine) -> Any:
    return Table("robot_tours", MetaData(), autoload_with=engine)
