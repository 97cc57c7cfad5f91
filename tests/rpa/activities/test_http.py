"""`http.request` against a real loopback server: headers, JSON, and error kinds."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rpa.activities import Context
from rpa.activities.http import request
from rpa.errors import ApplicationError, BusinessError


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        code = int(self.path.strip("/") or 200)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        reply = json.dumps({"key": self.headers.get("Idempotency-Key"), "got": json.loads(body or "null")})
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(reply.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def ctx(key: str | None = "run.1.0") -> Context:
    return Context(run_id="run", flow="f", state="s", step=0, idempotency_key=key)


def test_http_request_sends_the_idempotency_key_and_json(base_url: str) -> None:
    result = request(ctx(), f"{base_url}/200", method="POST", json={"n": 1})
    assert result["status"] == 200
    assert result["json"] == {"key": "run.1.0", "got": {"n": 1}}


@pytest.mark.parametrize(("code", "error"), [(503, ApplicationError), (429, ApplicationError),
                                             (404, BusinessError), (422, BusinessError)])
def test_http_request_error_kind_follows_status(base_url: str, code: int, error: type) -> None:
    with pytest.raises(error, match=f"HTTP {code}"):
        request(ctx(), f"{base_url}/{code}", method="POST")


def test_http_request_refused_connection_is_an_application_error() -> None:
    with pytest.raises(ApplicationError, match="POST http://127.0.0.1:9/"):
        request(ctx(), "http://127.0.0.1:9/", method="POST", timeout=2)


def test_http_request_can_return_error_statuses_when_asked(base_url: str) -> None:
    assert request(ctx(None), f"{base_url}/404", method="POST", raise_for_status=False)["status"] == 404


def test_http_request_loads_the_ca_bundle_once_per_process(base_url: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A TLS context per request read the whole CA bundle each time: most of a queue item's CPU."""
    import ssl

    request(ctx(), f"{base_url}/200", method="POST")
    built: list[object] = []
    real = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda *a, **k: built.append(a) or real(*a, **k))
    for _ in range(3):
        request(ctx(), f"{base_url}/200", method="POST")
    assert built == []
