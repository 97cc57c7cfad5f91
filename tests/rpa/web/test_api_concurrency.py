"""The JSON API under concurrent requests: a real uvicorn server, threads POSTing runs."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn

from rpa.audit import entries
from rpa.store import RunStore
from rpa.web import create_app
from tests.support.waiting import eventually

pytestmark = [pytest.mark.postgresql, pytest.mark.slow]

FLOW = "flow: hello\ninputs: {n: {type: int}}\nstates:\n  a: {next: b}\n  b: {final: success}\n"
THREADS, POSTS = 8, 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[str]:
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "hello.yaml").write_text(FLOW)
    port = _free_port()
    config = uvicorn.Config(create_app(db_url, tmp_path / "flows"), host="127.0.0.1", port=port,
                            log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    eventually(lambda: running.started, what="the API server to start")
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=30)


def _post_many(base: str, worker: int) -> list[tuple[int, str]]:
    answers = []
    with httpx.Client(base_url=base, timeout=120) as client:
        for i in range(POSTS):
            got = client.post("/api/runs", json={"flow": "hello", "inputs": {"n": worker * POSTS + i}})
            answers.append((got.status_code, got.text if got.status_code != 201 else got.json()["id"]))
    return answers


def test_api_concurrent_run_starts_are_each_recorded_once(server: str, db_url: str) -> None:
    with ThreadPoolExecutor(THREADS) as pool:
        answers = [a for batch in pool.map(lambda w: _post_many(server, w), range(THREADS)) for a in batch]
    failures = [text for code, text in answers if code != 201]
    assert failures == []
    store = RunStore(db_url)
    try:
        runs = store.list(limit=THREADS * POSTS + 10)
        assert sorted(r.inputs["n"] for r in runs) == list(range(THREADS * POSTS))
        assert {r.id for r in runs} == {text for _, text in answers}
        starts = Counter(e.target for e in entries(store.engine) if e.action == "run.start")
        assert set(starts.values()) == {1} and len(starts) == THREADS * POSTS
    finally:
        store.close()
