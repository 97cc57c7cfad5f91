"""Issue 20's second attack as a test: a flow sends its secret in a query string, a form body
and a JSON body to a real loopback server (uvicorn, with its access log on) that echoes it
back URL-encoded, JSON-escaped and in base64; no spelling of it may reach the log (every
logger: SmartLab's, httpx's, uvicorn's), the store's SQLite bytes or the run's artifacts."""

from __future__ import annotations

import base64
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI, Request

from rpa.engine import Runner
from rpa.flow import CompiledFlow
from rpa.logs import mask_every_logger
from rpa.secrets.encodings import spellings
from rpa.store import RunStore
from tests.support.waiting import eventually

VALUE = 'Zq9 S3cr/t+K=y&v!"é'
FLOW = """
flow: leaky
secrets: [k]
states:
  call:
    do:
      - {activity: http.request, with: {url: "URL/echo", params: {k: "{{ secrets.k }}"}}, as: got}
      - {activity: http.request, with: {url: "URL/echo", method: POST, data: {k: "{{ secrets.k }}"}}, as: form}
      - {activity: http.request, with: {url: "URL/echo", method: POST, json: {k: "{{ secrets.k }}"}}, as: sent}
      - activity: log
        with: {message: "echoed {{ vars.got.json }} {{ vars.form.json.body }} {{ vars.sent.json.body }}"}
      - activity: files.write
        with: {path: "{{ run.artifacts }}/echo.json", content: "{{ [vars.got, vars.form, vars.sent] }}", format: json}
      - activity: files.write
        with: {path: "{{ run.artifacts }}/echo.txt", content: "{{ vars.got.json.query }} {{ vars.got.json.token }}"}
    next: done
  done: {final: success}
"""


def _echo_app() -> FastAPI:
    app = FastAPI()

    @app.api_route("/echo", methods=["GET", "POST"])
    async def echo(request: Request) -> dict[str, str]:
        body = (await request.body()).decode()
        k = request.query_params.get("k", "")
        return {"query": request.url.query, "body": body, "k": k,
                "token": base64.b64encode(f"user:{k}".encode()).decode()}

    return app


def _access_log_to(path: Path) -> dict[str, object]:
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"access": {"()": "uvicorn.logging.AccessFormatter",
                                      "fmt": '%(client_addr)s - "%(request_line)s" %(status_code)s'}},
            "handlers": {"file": {"class": "logging.FileHandler", "filename": str(path), "formatter": "access"}},
            "loggers": {"uvicorn.access": {"handlers": ["file"], "level": "INFO", "propagate": False}}}


@pytest.fixture
def echo_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    access = tmp_path / "access.log"
    server = uvicorn.Server(uvicorn.Config(_echo_app(), host="127.0.0.1", port=port,
                                           log_config=_access_log_to(access)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    eventually(lambda: server.started, 30, what="the echo server to start")
    yield f"http://127.0.0.1:{port}", access
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture
def server_log(tmp_path: Path) -> Iterator[Path]:
    """What `smartlab serve` does at start-up: INFO lines of every logger into one log."""
    path = tmp_path / "server.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    mask_every_logger()
    yield path
    root.removeHandler(handler)
    root.setLevel(level)
    handler.close()


def test_secret_in_every_encoding_stays_out_of_logs_store_and_artifacts(
        echo_server: tuple[str, Path], server_log: Path, tmp_path: Path, db_path: Path,
        store: RunStore, compiled: Callable[[str], CompiledFlow], monkeypatch: pytest.MonkeyPatch) -> None:
    url, access_log = echo_server
    monkeypatch.setenv("SMARTLAB_ARTIFACTS", str(tmp_path / "artifacts"))
    result = Runner(store, environ={"SMARTLAB_SECRET_K": VALUE}).start(compiled(FLOW.replace("URL", url)))
    assert result.status == "success"
    store.close()
    logs = server_log.read_text(encoding="utf-8") + access_log.read_text(encoding="utf-8")
    assert "HTTP Request: GET" in logs and '"GET /echo?k=*** HTTP/1.1" 200' in logs  # both loggers wrote
    assert "echoed" in logs and (tmp_path / "artifacts").rglob("echo.txt")
    places = {"log": logs.encode(),
              "store": b"".join(p.read_bytes() for p in db_path.parent.glob(f"{db_path.name}*")),
              "artifacts": b"".join(p.read_bytes() for p in (tmp_path / "artifacts").rglob("*") if p.is_file())}
    leaks = [(place, s) for place, seen in places.items() for s in sorted(spellings(VALUE)) if s.encode() in seen]
    assert leaks == []
