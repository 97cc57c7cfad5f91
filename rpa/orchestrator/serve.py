"""`smartlab serve`: the scheduler, N worker processes and the web server, together.

SIGINT / SIGTERM stop the web server; then the scheduler stops and each worker is sent
SIGTERM, finishes its current step, checkpoints its run and gives its item back.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading

import uvicorn

from rpa.orchestrator.catalog import Catalog
from rpa.orchestrator.scheduler import Scheduler
from rpa.orchestrator.worker import Worker
from rpa.store import RunStore
from rpa.store.db import database_url
from rpa.web import create_app

log = logging.getLogger("smartlab.serve")
WORKER_STOP_SECONDS = 60


def serve(flows: str, host: str, port: int, workers: int, db_url: str | None) -> None:
    # A signal at any moment stops everything started so far: before the web server is up
    # it would otherwise kill this process and leave the workers running, or be swallowed.
    stop = _Stop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    url = database_url(db_url)
    store = RunStore(url)
    catalog = Catalog.load(flows)
    scheduler = Scheduler(store, catalog)
    recovered = scheduler.recover()
    log.info("recovered %d interrupted run(s); serving %d flow(s)", recovered, len(catalog.flows))
    procs: list[subprocess.Popen[bytes]] = []
    thread = threading.Thread(target=scheduler.run_forever, daemon=True, name="scheduler")
    try:
        procs += [_spawn_worker(flows, url) for _ in range(workers) if not stop.asked]
        thread.start()
        stop.server = uvicorn.Server(uvicorn.Config(create_app(url, flows), host=host, port=port,
                                                    log_level="warning"))
        if not stop.asked:
            stop.server.run()  # uvicorn takes the signals while it serves, then gives them back
    finally:
        scheduler.stop.set()
        _stop_workers(procs)
        if thread.is_alive():
            thread.join(timeout=5)


class _Stop:
    """The signal handler of `serve` outside uvicorn's own: remembers the request, and
    passes it on to the web server once there is one."""

    def __init__(self) -> None:
        self.asked = False
        self.server: uvicorn.Server | None = None

    def __call__(self, *_: object) -> None:
        self.asked = True
        if self.server is not None:
            self.server.should_exit = True


def _spawn_worker(flows: str, url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SMARTLAB_DB": url}
    return subprocess.Popen([sys.executable, "-m", "rpa.cli", "worker", "--flows", flows], env=env)


def _stop_workers(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            p.kill()


def work(flows: str, db_url: str | None, poll: float = 0.5) -> None:
    """Run one worker in this process until SIGTERM or SIGINT."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    from rpa.browser.listener import BrowserListener  # frees each run's browser at its end

    worker = Worker(RunStore(db_url), Catalog.load(flows), listener=BrowserListener(), stop=stop)
    worker.run_forever(poll)
