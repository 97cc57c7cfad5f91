"""The scheduler and workers in one process, on a real SQLite file: cron firing, recovery of
dead runs, and the queue trigger's thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpa.engine import Runs
from rpa.orchestrator import Catalog, Scheduler, Worker
from rpa.store import QueueStore, RunStore

CRON = """
flow: nightly
triggers: [{type: schedule, cron: "*/5 * * * *", inputs: {who: cron}}]
inputs: {who: {type: str, default: nobody}}
states:
  a: {do: [{activity: set, with: {by: "{{ inputs.who }}"}}], next: b}
  b: {final: success}
"""

BATCH = """
flow: batch
triggers: [{type: queue, queue: mail, min_items: 3, max_concurrent: 1}]
states:
  a: {do: [{activity: set, with: {ref: "{{ item.reference }}"}}], next: b}
  b: {final: success}
"""


def _catalog(tmp_path: Path, **flows: str) -> Catalog:
    folder = tmp_path / "flows"
    folder.mkdir(exist_ok=True)
    for name, text in flows.items():
        (folder / f"{name}.yaml").write_text(text)
    return Catalog.load(folder)


def test_scheduler_fires_a_cron_trigger_once_per_tick(store: RunStore, tmp_path: Path) -> None:
    scheduler = Scheduler(store, _catalog(tmp_path, nightly=CRON))
    start = 1_000_000.0  # the scheduler's clock is given, never read, so the ticks are exact
    scheduler.tick(now=start)  # first sight: remembered, not fired
    assert store.count() == 0
    scheduler.tick(now=start + 301)
    scheduler.tick(now=start + 302)  # same tick: not again
    runs = store.list()
    assert [(r.flow, r.status, r.inputs) for r in runs] == [("nightly", "ready", {"who": "cron"})]
    Worker(store, scheduler.catalog).tick()
    assert store.get(runs[0].id).vars == {"by": "cron"}


def test_scheduler_recover_hands_dead_runs_to_workers(store: RunStore, tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, nightly=CRON)
    flow = next(iter(catalog.flows.values()))
    run = store.create_run(flow.name, flow.path, flow.flow.start_state, {"who": "x"})
    store.release(run.id)  # as if its process had died mid-run
    assert Scheduler(store, catalog).recover() == 1
    assert store.get(run.id).status == "ready"
    assert Worker(store, catalog).tick()
    assert store.get(run.id).status == "success"


def test_queue_trigger_waits_for_min_items(store: RunStore, tmp_path: Path) -> None:
    worker = Worker(store, _catalog(tmp_path, batch=BATCH))
    queues = QueueStore(store.engine)
    queues.add("mail", "m1", {})
    queues.add("mail", "m2", {})
    assert worker.tick() is False
    queues.add("mail", "m3", {})
    while worker.tick():
        pass
    assert [i.status for i in queues.list("mail")] == ["done"] * 3


TYPED = """
flow: typed
triggers: [{type: schedule, cron: "0 * * * *", inputs: {n: "3"}}]
inputs:
  n: {type: int}
  greeting: {type: str, default: hello}
states:
  a: {do: [{activity: set, with: {line: "{{ inputs.greeting }} x{{ inputs.n * 2 }}"}}], next: b}
  b: {final: success}
"""


@pytest.mark.postgresql
def test_scheduler_runs_get_typed_inputs_and_defaults(store: RunStore, tmp_path: Path) -> None:
    scheduler = Scheduler(store, _catalog(tmp_path, typed=TYPED))
    scheduler.tick(now=1_000_000.0)
    scheduler.tick(now=1_000_000.0 + 3600)
    [run] = store.list()
    assert run.inputs == {"n": 3, "greeting": "hello"}
    assert Worker(store, scheduler.catalog).tick()
    done = store.get(run.id)
    assert (done.status, done.vars) == ("success", {"line": "hello x6"})


def test_scheduler_inputs_are_checked_when_the_flow_loads(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, typed=TYPED.replace('inputs: {n: "3"}', 'inputs: {n: three, m: 1}'))
    assert catalog.flows == {}
    [problem] = catalog.problems.values()
    assert "schedule input 'n': expected int" in problem and "schedule input 'm' is not an input" in problem


def test_worker_leaves_a_run_whose_flow_changed_interrupted_with_the_reason(store: RunStore,
                                                                           tmp_path: Path) -> None:
    run = Runs(store).submit(_catalog(tmp_path, nightly=CRON).named("nightly"), actor="test")
    (tmp_path / "flows" / "nightly.yaml").write_text(CRON.replace("{{ inputs.who }}", "x-{{ inputs.who }}"))
    worker = Worker(store, Catalog.load(tmp_path / "flows"))  # a worker started after the edit
    assert worker.tick()
    left = store.get(run.id)
    assert (left.status, left.owner, left.vars) == ("interrupted", None, {})
    assert "nightly.yaml changed since the run started" in left.error
    assert worker.tick() is False  # not picked up again until a person decides
