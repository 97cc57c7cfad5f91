"""The robot page's routes: the page and its live part, the event stream, tours and commands.

Every command is audited as `robot.<command>` (refused ones with the reason); a refusal shows
the page again with a one-line alert. With no SMARTLAB_ROBOT_URL, or a base that does not
answer, the page says "not connected". When the app shuts down the desk lets go of the base.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from receptionist_robot.console.desk import Refused, RobotLink
from receptionist_robot.console.view import robot_context
from receptionist_robot.store import TourRecords
from rpa.audit import record
from rpa.web.console.guard import Viewer, needs, posting
from rpa.web.console.i18n import translate
from rpa.web.console.render import page
from rpa.web.console.streams import Watch, stream

COMMANDS = ("pause", "resume", "stop", "reset", "skip", "repeat", "estop")
POLL = 0.3  # seconds between looks at the base while a page watches it
STREAM_LIMIT = 300.0  # seconds one stream lives; the browser's EventSource then reconnects
RETRY_MS = 2000
_creating = threading.Lock()


@asynccontextmanager
async def _closing(app: FastAPI) -> AsyncIterator[None]:
    yield
    link = getattr(app.state, "robot", None)
    if link is not None:
        await run_in_threadpool(link.close)


router = APIRouter(prefix="/console", lifespan=_closing)


def _robot(request: Request) -> RobotLink:
    """The app's one desk, made from the environment on first use (once, however many ask)."""
    state = request.app.state
    with _creating:
        if not hasattr(state, "robot"):
            state.robot = RobotLink.from_env(TourRecords(engine=state.store.engine))
        return state.robot


@router.get("/robot")
def robot_page(request: Request, partial: bool = False,
               seen: Viewer = Depends(needs("runs.read"))) -> Response:
    return _show(request, seen, "robot_live.html" if partial else "robot.html")


def _show(request: Request, seen: Viewer, template: str, problem: str = "",
          status_code: int = 200) -> Response:
    link = _robot(request)
    context = robot_context(link, seen.lang)
    return page(request, template, seen, status_code, problem=problem, link_problem=link.problem,
                setting_problem=link.setting_problem, **context)


@router.post("/robot/tour")
def start_tour(request: Request, tour: str = Form(""), lang: str = Form("en"),
               seen: Viewer = Depends(posting("runs.start"))) -> Response:
    """Start one tour of the map; the running tour then takes the page's commands."""
    return _carry_out(request, seen, "start", lambda link: link.start(tour, lang),
                      {"tour": tour, "lang": lang})


@router.post("/robot/goto")
def goto_stop(request: Request, location: str = Form(""),
              seen: Viewer = Depends(posting("runs.start"))) -> Response:
    """Send the running tour straight to one of its stops."""
    return _carry_out(request, seen, "goto", lambda link: link.goto(location), {"location": location})


@router.post("/robot/{command}")
def robot_command(command: str, request: Request,
                  seen: Viewer = Depends(posting("runs.start"))) -> Response:
    """Pause, resume, stop, reset, skip, repeat, or e-stop (a forced disarm): none asks for
    confirmation."""
    if command not in COMMANDS:
        message = translate("robot_no_command", seen.lang, command=command)
        return _show(request, seen, "robot.html", message, 404)
    return _carry_out(request, seen, command, lambda link: link.command(command), {})


def _carry_out(request: Request, seen: Viewer, name: str, action: Callable[[RobotLink], None],
               detail: dict[str, Any]) -> Response:
    link = _robot(request)
    try:
        action(link)
    except Refused as exc:
        _audit(request, seen, name, link, {**detail, "refused": exc.key})
        return _show(request, seen, "robot.html", translate(exc.key, seen.lang, **exc.values), exc.status)
    _audit(request, seen, name, link, detail)
    return RedirectResponse("/console/robot", status_code=303)


def _audit(request: Request, seen: Viewer, name: str, link: RobotLink, detail: dict[str, Any]) -> None:
    record(request.app.state.store.engine, seen.user.name, f"robot.{name}", link.url or "", detail)


@router.get("/robot/events")
def robot_events(request: Request, _: Viewer = Depends(needs("runs.read"))) -> Response:
    """Server-sent events: `change` whenever what the page shows of the robot changes."""
    link = _robot(request)
    return stream(request, Watch(link.signature, poll=POLL, limit=STREAM_LIMIT, retry_ms=RETRY_MS,
                                 label=lambda _: "robot", stop=lambda: link.closed))

