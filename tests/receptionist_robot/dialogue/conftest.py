"""One real Rasa server for the session, a loopback SMTP server, the simulator, and the bridge.

The receptionist model trains at most once (not at all when the cached model matches the
data) and Rasa starts once, shared through `rpa.nlu.testing`.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from aiosmtpd.controller import Controller

from receptionist_robot.checkin import CheckIns, SmtpNotifier
from receptionist_robot.dialogue import Dialogue
from receptionist_robot.guide import Guide
from receptionist_robot.kiosk import create_app
from receptionist_robot.rasa_channel import RasaChannel
from receptionist_robot.simulator import SimBase
from receptionist_robot.store import TourRecords
from receptionist_robot.tours import load_tours
from rpa.nlu import testing
from tests.support.waiting import eventually

SHIPPED = Path(__file__).parents[3] / "flows" / "tours" / "innovation_lab.yaml"


@pytest.fixture(scope="session")
def rasa_url() -> Iterator[str]:
    yield testing.shared_server("receptionist").url


class Inbox:
    def __init__(self) -> None:
        self.mails: list[Any] = []

    def bodies(self) -> list[str]:
        return [email.message_from_bytes(m.content, policy=email.policy.default).get_body().get_content()
                for m in self.mails]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.mails.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[str, Inbox]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", inbox
    controller.stop()


@pytest.fixture
def make_dialogue(rasa_url: str, db_url: str, smtp: tuple[str, Inbox],
                  make_sim: Callable[..., SimBase]) -> Iterator[Callable[..., Dialogue]]:
    made: list[Dialogue] = []

    def make(*, robot: bool = True, dwell_scale: float = 0.3, rasa: str | None = None) -> Dialogue:
        guide = None
        if robot:
            sim = make_sim(time_scale=10)
            guide = Guide(sim.url, load_tours(SHIPPED), TourRecords(db_url), dwell_scale)
        dialogue = Dialogue(RasaChannel(rasa or rasa_url), guide, CheckIns(db_url),
                            SmtpNotifier(smtp[0], "reception@lab.invalid"))
        made.append(dialogue)
        return dialogue

    yield make
    for d in made:
        d.guide and d.guide.post("estop")  # halt the base; the daemon tour thread dies with the sim
        d.close()


def state_of(guide: Guide | None) -> str | None:
    return guide.controller.state if guide is not None and guide.controller is not None else None


def moving(guide: Guide | None) -> bool:
    return state_of(guide) in ("navigating", "presenting")


def texts(dialogue: Dialogue, session_id: str) -> list[str]:
    return [m.text for m in dialogue.sessions[session_id].messages if m.role == "robot"]


def run_in_thread(fn: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=fn, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def serve_kiosk() -> Iterator[Callable[[Dialogue], str]]:
    """The kiosk app of a dialogue on a loopback port; its /kiosk/ URL."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(dialogue: Dialogue) -> str:
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(dialogue), host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        eventually(lambda: server.started, timeout=30, what="kiosk server started")
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}/kiosk/"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(10)


def open_kiosk(page: Any, url: str, lang: str) -> None:
    """The greeting screen, then the visitor touches their language's start button."""
    page.goto(url)
    page.click(f"#greeting [data-start={lang}]")
    page.wait_for_selector("body[data-ready=true]")


def only_session(dialogue: Dialogue) -> str:
    [sid] = list(dialogue.sessions)
    return sid


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A kiosk tab in the session's Chromium, the size of the robot's 1280x800 screen."""
    tab = browser.new_page(viewport={"width": 1280, "height": 800})
    yield tab
    tab.close()
