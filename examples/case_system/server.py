"""Starting the case system on a loopback port, in this process or as a command.

`serve()` runs uvicorn in a background thread and returns once the port is listening, so the
demo and the tests use the same start-up path; port 0 picks a free port.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import uvicorn

from examples.case_system.app import create_app
from examples.case_system.store import CaseStore

HOST = "127.0.0.1"
DEMO_USERS = {"officer": "officer-pass"}


class RunningServer:
    """A case system listening on `url`; stop it with `stop()` or a `with` block."""

    def __init__(self, server: uvicorn.Server, thread: threading.Thread, store: CaseStore) -> None:
        self._server, self._thread, self.store = server, thread, store

    @property
    def port(self) -> int:
        return self._server.servers[0].sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        self._server.should_exit = True
        self._server.force_exit = True  # do not wait for answers held by `submit_delay`
        self._thread.join(timeout=10)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def serve(db: Path | str, port: int = 0, users: Mapping[str, str] | None = None,
          submit_delay: float = 0.0, start_timeout: float = 20.0) -> RunningServer:
    """Start the case system on 127.0.0.1:`port` over the SQLite file `db`."""
    store = CaseStore(db)
    app = create_app(store, users or DEMO_USERS, submit_delay=submit_delay)
    config = uvicorn.Config(app, host=HOST, port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="case-system", daemon=True)
    thread.start()
    _wait_started(server, thread, start_timeout)
    return RunningServer(server, thread, store)


def _wait_started(server: uvicorn.Server, thread: threading.Thread, limit: float) -> None:
    ends = time.monotonic() + limit
    while not server.started:
        if not thread.is_alive() or time.monotonic() > ends:
            raise RuntimeError(f"the case system did not start on {HOST}")
        time.sleep(0.02)
