"""Acceptance: a flow with three HTTP effects, SIGKILLed at random moments and resumed,
always ends in success with exactly three distinct Idempotency-Keys per run, every step in
its timeline once (0 lost steps), and no request for an effect whose confirmation the store
already holds (0 repeated confirmed effects). On SQLite and PostgreSQL.

`SMARTLAB_SOAK_KILLS` (default 10 per store) sets the number of kills: 200 for the soak
of docs/development.md.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rpa.store import RunStore
from tests.support.idempotent_server import serve

FLOW = """
flow: three_effects
inputs:
  url: {type: str}
states:
  first:
    do:
      - {activity: http.request, with: {method: POST, url: "{{ inputs.url }}", json: {run: "{{ run.id }}", n: 1}}}
    retry: {max_attempts: 5, backoff: 20ms}
    next: second
  second:
    do:
      - {activity: wait, with: {seconds: 30ms}}
      - {activity: http.request, with: {method: POST, url: "{{ inputs.url }}", json: {run: "{{ run.id }}", n: 2}}}
      - {activity: set, with: {sent: 2}}
    retry: {max_attempts: 5, backoff: 20ms}
    next: third
  third:
    do:
      - activity: http.request
        with: {method: POST, url: "{{ inputs.url }}", json: {run: "{{ run.id }}", n: 3}}
        as: last
    retry: {max_attempts: 5, backoff: 20ms}
    next: done
  done: {final: success}
"""

SMARTLAB = [sys.executable, "-m", "rpa.cli"]


def _start_run(flow: Path, url: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([*SMARTLAB, "run", str(flow), "-i", f"url={url}"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for_start(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("▶"):
            return
    raise AssertionError("the run never started")


KILLS = int(os.environ.get("SMARTLAB_SOAK_KILLS", "10"))
STEPS = [("first", 0), ("second", 0), ("second", 1), ("second", 2), ("third", 0)]


@pytest.mark.slow
@pytest.mark.postgresql
def test_sigkill_at_random_moments_then_resume_keeps_effects_exactly_once(tmp_path: Path, db_url: str) -> None:
    server, recorder = serve()
    url = f"http://127.0.0.1:{server.server_port}/effects"
    flow = tmp_path / "three_effects.yaml"
    flow.write_text(FLOW)
    env = {**os.environ, "SMARTLAB_DB": db_url, "PYTHONPATH": str(Path(__file__).parents[3])}
    rng = random.Random(20201111)
    store = RunStore(db_url)
    repeated: list[str] = []
    recorder.watch = lambda key: repeated.extend([key] if _confirmed(store, key) else [])
    cut_short = 0
    try:
        for _ in range(KILLS):
            proc = _start_run(flow, url, env)
            _wait_for_start(proc)
            time.sleep(rng.uniform(0, 0.5))  # a full run takes about 0.45 s here
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            cut_short += store.list(limit=1)[0].status != "success"
            resumed = subprocess.run([*SMARTLAB, "resume", "--all", "-q"], env=env,
                                     capture_output=True, text=True)
            assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    finally:
        server.shutdown()
    runs = store.list(limit=KILLS + 1)
    assert len(runs) == KILLS
    assert {r.status for r in runs} == {"success"}
    print(f"{cut_short} of {KILLS} kills landed mid-run; {len(repeated)} repeated confirmed effects")
    assert cut_short >= KILLS // 2, f"only {cut_short} of {KILLS} kills landed mid-run"
    assert repeated == []
    for r in runs:
        keys = recorder.keys[r.id]
        assert len(set(keys)) == 3, (r.id, keys)
        assert all(k.startswith(f"{r.id}.") for k in keys)
        done = [(e["state"], e["step"]) for e in store.events(r.id) if e["kind"] == "step" and e["status"] == "ok"]
        assert done == STEPS, (r.id, done)
        assert {e["status"] for e in store.effects_of(r.id)} == {"confirmed"}
    store.close()


def _confirmed(store: RunStore, key: str) -> bool:
    effect = store.effect(key)
    return effect is not None and effect.status == "confirmed"
