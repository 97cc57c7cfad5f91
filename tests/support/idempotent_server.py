"""A loopback HTTP server that records every request's run and Idempotency-Key.

With `fail_first`, it answers 503 to the first request carrying each key, so every effect is
retried once; it takes a short while to answer, so a kill can land while a request is in flight.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.keys: dict[str, list[str]] = defaultdict(list)  # run id -> keys in arrival order

        self.seen: set[str] = set()
        self.watch: Callable[[str], None] | None = None  # told each key as its request arrives

    def record(self, run_id: str, key: str) -> bool:
        """Store the request; True when this key was seen before."""
        if self.watch is not None:
            self.watch(key)
        with self.lock:
            seen = key in self.seen
            self.seen.add(key)
            self.keys[run_id].append(key)
            return seen


def serve(delay: float = 0.05, fail_first: bool = True) -> tuple[ThreadingHTTPServer, Recorder]:
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen = recorder.record(body["run"], self.headers.get("Idempotency-Key", ""))
            time.sleep(delay)
            self.send_response(200 if seen or not fail_first else 503)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"ok": seen}).encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, recorder
