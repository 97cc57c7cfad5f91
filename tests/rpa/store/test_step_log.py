"""The append-only step log on real stores: a run's position read from its last row, group
commits (by count and by age, on an injected clock), what commits at once, runs made before
the log, and the read functions the console and the CLI use."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from rpa.engine import Listener, Runner
from rpa.flow import compile_flow, load_flow_text
from rpa.settings import SettingError
from rpa.store import RunStore
from rpa.store.fastpath import Group
from rpa.store.schema import runs, step_log
from rpa.store.views import RunFilter, list_runs

pytestmark = pytest.mark.postgresql  # also run on a throwaway PostgreSQL server

LOOP = """
flow: loop
inputs: {n: {type: int, default: 4}}
states:
  init:
    do: [{activity: set, with: {i: 0}}]
    next: count
  count:
    do: [{activity: set, with: {i: "{{ vars.i + 1 }}"}}]
    on: [{when: "vars.i < inputs.n", goto: count}]
    next: done
  done: {final: success}
"""


def _flow():  # type: ignore[no-untyped-def]
    flow, source = load_flow_text(LOOP, "loop.yaml")
    return compile_flow(flow, source)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def _logged(store: RunStore, run_id: str) -> int:
    with store.engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(step_log).where(step_log.c.run_id == run_id)).scalar())


def _row(store: RunStore, run_id: str) -> Any:
    with store.engine.connect() as c:
        return c.execute(select(runs).where(runs.c.id == run_id)).one()


POSITION = {"state": "count", "visit": 2, "step": 0, "attempt": 1, "retry_at": None, "entered_at": None,
            "pending_error": None}


def _advance(store: RunStore, run_id: str, seq: int, **kwargs: Any) -> None:
    store.advance(run_id, seq, {**POSITION, "vars": {"i": seq}},
                  [{"visit": 2, "state": "count", "kind": "step", "step": 0, "status": "ok"}], **kwargs)


@pytest.fixture
def clocked(db_url: str) -> Any:
    clock = Clock()
    store = RunStore(db_url, clock=clock)
    store.group = Group(3, 0.2)
    yield store, clock
    store.close()


def test_step_log_run_row_keeps_its_position_until_the_status_changes(store: RunStore) -> None:
    seen: list[tuple[str, int]] = []

    class Watch(Listener):
        def start_run(self, run_id: str, flow: str, resumed: bool) -> None:
            self.run_id = run_id

        def end_step(self, *args: Any, **kwargs: Any) -> None:
            row = _row(store, self.run_id)
            seen.append((row.state, row.step))

    result = Runner(store, Watch()).start(_flow())
    assert result.ok and result.vars == {"i": 4}
    assert set(seen) == {("init", 0)}  # the run row, while the run moved through five steps
    row = _row(store, result.run_id)
    assert (row.status, row.state, row.vars) == ("success", "done", {"i": 4})
    assert _logged(store, result.run_id) == 5  # init, three loops, the fourth with the end
    run = store.get(result.run_id)
    assert (run.state, run.vars, run.seq) == ("done", {"i": 4}, 5)


def test_step_log_group_waits_until_full_then_commits_in_one_go(clocked: Any) -> None:
    store, _ = clocked
    run = store.create_run("loop", "loop.yaml", "init", {})
    _advance(store, run.id, 1)
    _advance(store, run.id, 2)
    assert _logged(store, run.id) == 0 and store.get(run.id).state == "init"
    _advance(store, run.id, 3)
    assert _logged(store, run.id) == 3
    got = store.get(run.id)
    assert (got.state, got.visit, got.vars, got.seq) == ("count", 2, {"i": 3}, 3)


def test_step_log_group_commits_when_its_oldest_row_is_old_enough(clocked: Any) -> None:
    store, clock = clocked
    run = store.create_run("loop", "loop.yaml", "init", {})
    _advance(store, run.id, 1)
    clock.now += 0.19
    _advance(store, run.id, 2)
    assert _logged(store, run.id) == 0
    clock.now += 0.01
    _advance(store, run.id, 3)  # 0.2 s after the first waiting row: due, although not full
    assert _logged(store, run.id) == 3
    assert store.position(run.id) == ("running", clock.now)


@pytest.mark.parametrize("commits_at_once", ["effect_intent", "confirm", "status", "release", "flush"])
def test_step_log_effects_status_changes_and_hand_overs_commit_what_waits(clocked: Any, commits_at_once: str) -> None:
    store, _ = clocked
    run = store.create_run("loop", "loop.yaml", "init", {})
    _advance(store, run.id, 1)
    if commits_at_once == "effect_intent":
        store.effect_intent(f"{run.id}.2.0", run.id, "test.effect", {"n": 1})
    elif commits_at_once == "confirm":
        store.effect_intent(f"{run.id}.2.0", run.id, "test.effect", {"n": 1})
        _advance(store, run.id, 2, confirm=(f"{run.id}.2.0", {"ok": True}))
        assert store.effect(f"{run.id}.2.0").status == "confirmed"  # type: ignore[union-attr]
    elif commits_at_once == "status":
        _advance(store, run.id, 2, status={"status": "failure", "owner": None, "error": "x", "finished_at": 1.0})
        assert (_row(store, run.id).status, _row(store, run.id).state) == ("failure", "count")
    else:
        getattr(store, commits_at_once)(*([run.id] if commits_at_once == "release" else []))
    assert _logged(store, run.id) == (2 if commits_at_once in ("confirm", "status") else 1)


def test_step_log_run_without_rows_resumes_from_its_run_row(store: RunStore) -> None:
    """A run made before the log (rpa_0002) is where its run row says: it goes on from there."""
    flow = _flow()
    run = store.create_run("loop", flow.path, "count", {"n": 4}, status="interrupted",
                           flow_hash=flow.source_hash)
    with store.engine.begin() as c:
        c.execute(runs.update().where(runs.c.id == run.id).values(visit=3, vars={"i": 2}))
    assert (store.get(run.id).seq, store.get(run.id).vars) == (0, {"i": 2})
    result = Runner(store).resume(run.id, flow)
    assert result.ok and result.vars == {"i": 4}
    assert [e["status"] for e in store.events(run.id) if e["kind"] == "transition"] == ["count", "done"]


def test_step_log_events_put_log_rows_among_event_rows_in_order(store: RunStore) -> None:
    result = Runner(store).start(_flow(), {"n": 2})
    kinds = [(e["kind"], e["status"]) for e in store.events(result.run_id)]
    assert kinds == [("run", "started"), ("step", "ok"), ("transition", "count"), ("step", "ok"),
                     ("transition", "count"), ("step", "ok"), ("transition", "done"), ("run", "success")]


def test_step_log_runs_list_shows_the_state_of_the_last_row(clocked: Any) -> None:
    store, clock = clocked
    run = store.create_run("loop", "loop.yaml", "init", {})
    for seq in (1, 2, 3):  # the third fills the group
        clock.now += 0.01
        _advance(store, run.id, seq)
    rows, count = list_runs(store.engine, RunFilter(), 1)
    assert count == 1 and (rows[0]["state"], rows[0]["updated_at"]) == ("count", clock.now)


@pytest.mark.parametrize(("name", "value"), [("SMARTLAB_STEP_GROUP", "0"), ("SMARTLAB_STEP_GROUP_MS", "-1")])
def test_step_log_group_settings_below_their_least_are_a_setting_error(
        monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError, match=f"{name}={value} must be at least"):
        Group.from_settings()


def test_step_log_vars_read_back_as_written_past_what_orjson_takes(store: RunStore) -> None:
    run = store.create_run("loop", "loop.yaml", "count", {})
    odd = {"big": 2**70, "text": "申請 ✓", "keys": {1: "one"}, "deep": [[[0.5]]]}
    store.advance(run.id, 1, {**POSITION, "vars": odd}, [{"kind": "step", "output": {"big": 2**70}}],
                  status={"status": "waiting", "owner": None, "error": None, "finished_at": None})
    got = store.get(run.id)
    assert got.vars == {"big": 2**70, "text": "申請 ✓", "keys": {"1": "one"}, "deep": [[[0.5]]]}
    assert [e["output"] for e in store.events(run.id) if e.get("kind") == "step"] == [{"big": 2**70}]
