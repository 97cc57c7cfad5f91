"""A real uvicorn server on a loopback port, a worker thread, and real Chromium.

The session server serves a small review flow (a `human.task` with a form bot's fields and a
page image) and a flow with a `watch` trigger; users of each role are added up front.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, BrowserContext, Page

from rpa.auth import add_user
from rpa.orchestrator import Catalog, Worker
from rpa.store import RunStore
from rpa.web import create_app
from tests.rpa.web.console.browsing import PASSWORD, Server
from tests.support.chromium import CHROMIUM
from tests.support.waiting import eventually

USERS = {"clerk": "staff", "sue": "supervisor", "boss": "admin"}

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)

REVIEW_FLOW = """\
flow: review_demo
inputs:
  applicant: {type: str, description: "the name as written on the form"}
  copies: {type: int, default: 1}
states:
  check:
    do:
      - activity: human.task
        with:
          title: "Check the applicant's name"
          form:
            type: object
            required: [name]
            properties:
              name: {type: string, title: "Name"}
              copies: {type: integer}
          data:
            fields:
              - {key: name, value: "{{ inputs.applicant }}", confidence: 0.42, page: 1,
                 value_box: [20, 20, 140, 40], status: review}
              - {key: copies, value: "{{ inputs.copies }}", confidence: 0.99, page: 1,
                 value_box: [20, 60, 60, 80], status: accepted}
            images: [{page: 1, path: "IMAGE", scale: 2.0}]
        as: answer
    next: done
  done: {final: success}
"""

WATCH_FLOW = """\
flow: inbox_forms
triggers:
  - {type: watch, folder: "FOLDER", glob: "*.pdf"}
states:
  read:
    next: done
  done: {final: success}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[FastAPI], str]]:
    """Start apps under uvicorn on free loopback ports; all stop at the end of the session."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: FastAPI) -> str:
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        eventually(lambda: server.started, interval=0.02, what=f"the console server on port {port} to start")
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=5)


def _page_image(path: Path) -> None:
    image = Image.new("RGB", (400, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.text((45, 45), "CHAN TAI MAN", fill="black")
    draw.text((45, 125), "1", fill="black")
    image.save(path)


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[FastAPI], str]) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("console")
    flows = root / "flows"
    flows.mkdir()
    _page_image(root / "page1.png")
    (flows / "review_demo.yaml").write_text(REVIEW_FLOW.replace("IMAGE", str(root / "page1.png")))
    (flows / "inbox_forms.yaml").write_text(WATCH_FLOW.replace("FOLDER", str(root / "inbox")))
    (flows / "broken.yaml").write_text("flow: broken\nstates:\n  a: {next: nowhere}\n")
    url = f"sqlite:///{root / 'console.db'}"
    app = create_app(url, flows)
    for name, role in USERS.items():
        add_user(app.state.store.engine, name, role, PASSWORD, actor="test")
    stop = threading.Event()
    worker = Worker(RunStore(url), Catalog.load(flows), stop=stop)
    thread = threading.Thread(target=worker.run_forever, kwargs={"poll": 0.1}, daemon=True)
    thread.start()
    yield Server(serve(app), app, root)
    stop.set()
    thread.join(timeout=10)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = browser.new_context(viewport={"width": 1280, "height": 900})
    made.set_default_timeout(10_000)
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
