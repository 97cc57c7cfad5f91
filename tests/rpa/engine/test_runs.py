"""The `Runs` service in a long-lived process: flows alternating, flows edited under a run."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from rpa.engine import Runner
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
    outcomes = []
    for i in range(300):
        compiled = load_and_compile(str(tmp_path / ("one.yaml" if i % 2 else "two.yaml")))
        outcomes.append(runner.start(compiled).status)
        del compiled
        gc.collect()
    assert outcomes == ["success"] * 300
