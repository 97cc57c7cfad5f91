"""`smartlab serve` as a user runs it: a real server process with a worker, driven over HTTP
and through a watched folder."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.waiting import eventually

ROOT = Path(__file__).parents[3]

WATCH = """
flow: inbox
triggers:
  - {type: watch, folder: "INBOX", glob: "*.txt", poll: 200ms}
states:
  read:
    do:
      - {activity: files.read, with: {path: "{{ item.payload.path }}"}, as: text}
      - {activity: fail, with: {message: "rejected: {{ vars.text | trim }}"}, when: "'bad' in vars.text"}
    catch: [{error: BusinessError, goto: rejected}]
    next: done
  done: {final: success}
  rejected: {final: business_exception}
"""

REVIEW = """
flow: review
triggers: [{type: manual}]
inputs:
  applicant: {type: str}
states:
  ask:
    do:
      - activity: human.task
        with:
          title: "Check {{ inputs.applicant }}"
          form: {type: object, required: [approved], properties: {approved: {type: boolean}}}
        as: answer
    next: done
  done: {final: success}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    base = tmp_path_factory.mktemp("serve")
    flows, inbox = base / "flows", base / "inbox"
    flows.mkdir()
    inbox.mkdir()
    (flows / "inbox.yaml").write_text(WATCH.replace("INBOX", str(inbox)))
    (flows / "review.yaml").write_text(REVIEW)
    port = _free_port()
    env = {**os.environ, "SMARTLAB_DB": f"sqlite:///{base / 'serve.db'}", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "rpa.cli", "serve", "--flows", str(flows),
                             "--port", str(port), "--workers", "1"], env=env, cwd=base,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        eventually(lambda: _healthy(url), 60)
        yield url, inbox
    finally:
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=60)[0]
        assert proc.returncode == 0, output
        assert "Traceback" not in output, output


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_serve_watch_trigger_processes_dropped_files(server: tuple[str, Path]) -> None:
    url, inbox = server
    (inbox / "good.txt").write_text("a fine application\n")
    (inbox / "bad.txt").write_text("bad application\n")
    eventually(lambda: (inbox / "processed" / "good.txt").exists() and (inbox / "failed" / "bad.txt").exists())
    items = httpx.get(f"{url}/api/queues/inbox/items").json()
    by_name = {i["payload"]["name"]: i for i in items}
    assert by_name["good.txt"]["status"] == "done"
    assert (by_name["bad.txt"]["status"], by_name["bad.txt"]["error"]) == (
        "business_exception", "BusinessError: rejected: bad application")
    assert sorted(p.name for p in inbox.iterdir()) == ["failed", "processed"]


def test_serve_human_task_over_the_api_resumes_the_run(server: tuple[str, Path]) -> None:
    url, _ = server
    started = httpx.post(f"{url}/api/runs", json={"flow": "review", "inputs": {"applicant": "Chan"}})
    assert started.status_code == 201, started.text
    run_id = started.json()["id"]
    task = eventually(lambda: next((t for t in httpx.get(f"{url}/api/tasks").json() if t["run_id"] == run_id), None))
    assert task["title"] == "Check Chan"
    assert httpx.get(f"{url}/api/runs/{run_id}").json()["status"] == "waiting"
    refused = httpx.post(f"{url}/api/tasks/{task['id']}/complete", json={"data": {"approved": "yes"}})
    assert refused.status_code == 422 and "is not of type 'boolean'" in refused.json()["detail"]
    done = httpx.post(f"{url}/api/tasks/{task['id']}/complete", json={"data": {"approved": True}})
    assert done.status_code == 200
    run = eventually(lambda: (r := httpx.get(f"{url}/api/runs/{run_id}").json())["status"] == "success" and r)
    assert run["vars"]["answer"] == {"approved": True}


def test_serve_api_errors_are_clear(server: tuple[str, Path]) -> None:
    url, _ = server
    assert httpx.get(f"{url}/api/runs/nope").status_code == 404
    bad = httpx.post(f"{url}/api/runs", json={"flow": "review", "inputs": {}})
    assert (bad.status_code, bad.json()["detail"]) == (422, "input 'applicant' is required (str)")
    assert httpx.get(f"{url}/openapi.json").json()["info"]["title"] == "SmartLab"


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"  # ended, not yet reaped by its parent


def test_serve_stops_cleanly_on_sigterm_before_the_web_server_is_up(tmp_path: Path) -> None:
    """SIGTERM as soon as the worker exists (the web app not yet built): serve exits 0 and
    takes its worker with it, instead of dying with the worker left behind or ignoring it."""
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "review.yaml").write_text(REVIEW)
    env = {**os.environ, "SMARTLAB_DB": f"sqlite:///{tmp_path / 'serve.db'}", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "rpa.cli", "serve", "--flows", str(tmp_path / "flows"),
                             "--port", str(_free_port()), "--workers", "1"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    workers: list[int] = []
    try:
        workers = eventually(lambda: _children(proc.pid), 60, what="the worker process to start")
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=120)[0]
        assert proc.returncode == 0, output
        eventually(lambda: all(_gone(w) for w in workers), 60, what="the worker to stop with serve")
    finally:
        proc.kill()
        for pid in workers:  # a worker left behind would poll the test's database for ever
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
