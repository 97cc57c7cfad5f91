"""One flow started through every entry point: the same typed inputs and one audit entry each.

The environment gives `n` (SMARTLAB_INPUT_TYPED__N), the flow's default gives `greeting`;
whoever starts the run, it sees `{"n": 3, "greeting": "hello"}` and is audited once.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rpa.audit import entries
from rpa.auth import add_user, issue_token
from rpa.engine import Runs
from rpa.orchestrator import Catalog, Scheduler, Worker
from rpa.store import QueueStore, RunStore
from rpa.web import create_app
from tests.rpa.web.console.browsing import PASSWORD

TYPED = """
flow: typed
triggers:
  - {type: schedule, cron: "0 * * * *"}
  - {type: queue, queue: typed_items}
inputs:
  n: {type: int}
  greeting: {type: str, default: hello}
states:
  a: {do: [{activity: set, with: {line: "{{ inputs.greeting }} {{ inputs.n + 1 }}"}}], next: b}
  b: {final: success}
"""
PARENT = """
flow: parent
states:
  a: {do: [{activity: flow.run, with: {path: typed.yaml}, as: sub}], next: b}
  b: {final: success}
"""
EXPECTED = {"n": 3, "greeting": "hello"}
pytestmark = pytest.mark.postgresql  # also on a throwaway PostgreSQL server


@pytest.fixture
def world(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setenv("SMARTLAB_INPUT_TYPED__N", "3")
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "typed.yaml").write_text(TYPED)
    (flows / "parent.yaml").write_text(PARENT)
    url = db_url
    app = create_app(url, flows)
    add_user(app.state.store.engine, "clerk", "staff", PASSWORD, actor="test")
    catalog = Catalog.load(flows)
    return {"url": url, "flows": flows, "app": app, "store": app.state.store, "catalog": catalog,
            "worker": Worker(RunStore(url), catalog), "tmp": tmp_path}


def _drain(world: dict) -> None:
    while world["worker"].tick():
        pass


def _cli(world: dict) -> None:
    env = {**os.environ, "SMARTLAB_DB": world["url"]}
    done = subprocess.run([sys.executable, "-m", "rpa.cli", "run", str(world["flows"] / "typed.yaml")],
                          env=env, cwd=world["tmp"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _api(world: dict) -> None:
    token = issue_token(world["store"].engine, "clerk", actor="test")
    started = TestClient(world["app"]).post("/api/runs", json={"flow": "typed"},
                                            headers={"Authorization": f"Bearer {token}"})
    assert started.status_code == 201, started.text
    _drain(world)


def _console(world: dict) -> None:
    client = TestClient(world["app"])
    csrf = re.compile(r'name="csrf" value="([^"]+)"')
    token = csrf.search(client.get("/console/login").text).group(1)
    client.post("/console/login", data={"username": "clerk", "password": PASSWORD, "csrf": token})
    token = csrf.search(client.get("/console/flows/typed").text).group(1)
    assert client.post("/console/flows/typed/start", data={"csrf": token}, follow_redirects=False).status_code == 303
    _drain(world)


def _schedule(world: dict) -> None:
    scheduler = Scheduler(world["store"], world["catalog"])
    scheduler.tick(now=1_000_000.0)
    scheduler.tick(now=1_000_000.0 + 3600)
    _drain(world)


def _queue(world: dict) -> None:
    QueueStore(world["store"].engine).add("typed_items", "item-1", {})
    _drain(world)


def _subflow(world: dict) -> None:
    assert Runs(world["store"]).start(world["catalog"].named("parent"), actor="test").ok


ENTRY_POINTS: dict[str, Callable[[dict], None]] = {
    "cli": _cli, "api": _api, "console": _console, "schedule": _schedule, "queue": _queue, "subflow": _subflow,
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_runs_every_entry_point_gives_the_same_inputs_and_one_audit_entry(world: dict, entry: str) -> None:
    ENTRY_POINTS[entry](world)
    store: RunStore = world["store"]
    [run] = [r for r in store.list() if r.flow == "typed"]
    assert (run.status, run.inputs, run.vars) == ("success", EXPECTED, {"line": "hello 4"})
    starts = Counter(e.target for e in entries(store.engine) if e.action == "run.start")
    assert starts[run.id] == 1 and set(starts.values()) == {1}
