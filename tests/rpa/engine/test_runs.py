"""The `Runs` service in a long-lived process: flows alternating, flows edited under a run."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from rpa.engine import Listener, Runner, Runs
from rpa.errors import FlowChanged
from rpa.flow import load_and_compile
from rpa.store import RunStore

pytestmark = pytest.mark.postgresql

ONE = "flow: one\nstates:\n  one: {do: [{activity: set, with: {x: 1}}], next: fin}\n  fin: {final: success}\n"
TWO = "flow: two\nstates:\n  two: {do: [{activity: set, with: {x: 2}}], next: end}\n  end: {final: success}\n"


def test_runs_alternating_flows_never_share_a_machine(store: RunStore, tmp_path: Path) -> None:
    """As a worker does: each run loads its flow afresh, the old one is freed, ids come back."""
    (tmp_path / "one.yaml").write_text(ONE)
    (tmp_path / "two.yaml").write_text(TWO)
    runner = Runner(store)
    outcomes, owners = [], {}  # id() of a compiled flow -> the flows that had it
    gc.freeze()  # the session's heap is not this loop's garbage: each collect scans only what it made
    try:
        for i in range(300):
            compiled = load_and_compile(str(tmp_path / ("one.yaml" if i % 2 else "two.yaml")))
            owners.setdefault(id(compiled), set()).add(compiled.name)
            outcomes.append(runner.start(compiled).status)
            del compiled
            gc.collect()
            if i >= 20 and sum(len(names) > 1 for names in owners.values()) >= 3:
                break  # ids were handed from one flow to the other: the case that went wrong
    finally:
        gc.unfreeze()
    assert sum(len(names) > 1 for names in owners.values()) >= 3, "ids never reused: the test proves nothing"
    assert outcomes == ["success"] * len(outcomes)


EDITED = """
flow: edited
states:
  a:
    do: [{activity: set, with: {x: 1}}, {activity: set, with: {y: 2}}]
    next: b
  b: {final: success}
"""


class CrashAfter(Listener):
    def end_step(self, *args: Any, **kwargs: Any) -> None:
        raise Crash()


class Crash(BaseException):
    """Stands in for the process dying."""


def test_runs_resume_after_the_flow_changed_is_refused_unless_forced(store: RunStore, tmp_path: Path) -> None:
    path = tmp_path / "edited.yaml"
    path.write_text(EDITED)
    with pytest.raises(Crash):
        Runs(store, CrashAfter()).start(load_and_compile(str(path)))
    [run] = store.list()
    assert store.get(run.id).flow_hash == load_and_compile(str(path)).source_hash
    path.write_text(EDITED.replace("{y: 2}", "{y: 3}"))
    with pytest.raises(FlowChanged) as refused:
        Runs(store).resume(run.id)  # a new process: it holds only the file as it is now
    assert str(refused.value) == (f"run {run.id}: {path} changed since the run started; "
                                  "`smartlab resume --force` continues it with the new version")
    assert store.get(run.id).status == "interrupted"
    forced = Runs(store).resume(run.id, force=True)
    assert (forced.status, forced.vars) == ("success", {"x": 1, "y": 3})


def test_runs_resume_in_the_same_process_keeps_the_version_it_started_with(store: RunStore,
                                                                          tmp_path: Path) -> None:
    path = tmp_path / "edited.yaml"
    path.write_text(EDITED)
    runs = Runs(store)
    with pytest.raises(Crash):
        Runs(store, CrashAfter(), flows=runs.flows).start(load_and_compile(str(path)))
    path.write_text(EDITED.replace("{y: 2}", "{y: 3}"))
    result = runs.resume(store.list()[0].id)
    assert (result.status, result.vars) == ("success", {"x": 1, "y": 2})
