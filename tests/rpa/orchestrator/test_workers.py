"""Acceptance: two worker processes drain 1,000 items; one is SIGKILLed half-way. Every item
ends done exactly once and each item's side effect reaches the server under one key."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from rpa.store import QueueStore, RunStore
from tests.support.idempotent_server import serve
from tests.support.waiting import eventually

pytestmark = pytest.mark.postgresql  # also run on a throwaway PostgreSQL server

FLOW = """
flow: drain
triggers:
  - {type: queue, queue: work, max_concurrent: 2}
states:
  send:
    do:
      - activity: http.request
        with: {method: POST, url: "URL", json: {run: "{{ item.reference }}"}}
    retry: {max_attempts: 5, backoff: 50ms}
    next: done
  done: {final: success}
"""
ITEMS = 1000


def _worker(flows: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "rpa.cli", "worker", "--flows", str(flows),
                             "--poll", "0.1"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_two_workers_drain_a_queue_exactly_once_when_one_is_killed(tmp_path: Path, db_url: str) -> None:
    server, recorder = serve(delay=0.002, fail_first=False)
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "drain.yaml").write_text(FLOW.replace("URL", f"http://127.0.0.1:{server.server_port}/"))
    db = db_url
    store = RunStore(db)
    queues = QueueStore(store.engine)
    queues.configure("work", lease_seconds=2.0)
    for n in range(ITEMS):
        queues.add("work", f"item-{n:04d}", {"n": n})
    env = {**os.environ, "SMARTLAB_DB": db, "PYTHONPATH": str(Path(__file__).parents[3])}
    doomed, survivor = _worker(flows, env), _worker(flows, env)
    try:
        eventually(lambda: queues.count("work", "done") >= ITEMS // 3, 300, interval=0.2)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()
        killed_at = queues.count("work", "done")
        eventually(lambda: queues.count("work", "done") == ITEMS, 300, interval=0.2, what=queues.summary)
    finally:
        for p in (doomed, survivor):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=60)
        server.shutdown()
    assert killed_at < ITEMS
    items = queues.list("work", limit=ITEMS * 2)
    assert len(items) == ITEMS and {i.status for i in items} == {"done"}
    assert len({i.run_id for i in items}) == ITEMS
    for item in items:
        keys = recorder.keys[item.reference]
        assert len(set(keys)) == 1, (item.reference, keys)  # one effect, maybe re-sent with its key
    store.close()
