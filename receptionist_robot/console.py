"""The console's robot page, offered by the robot package through the `smartlab.console`
entry points (the engine's console does not import the robot).

It talks to the base named by SMARTLAB_ROBOT_URL; with no URL, or a base that does not
answer, it says "not connected" and offers nothing.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from receptionist_robot.base import Base
from receptionist_robot.errors import RobotError
from rpa.audit import record
from rpa.web.console.guard import Missing, Viewer, needs, posting
from rpa.web.console.render import page

router = APIRouter(prefix="/console")
ROBOT_ENV = "SMARTLAB_ROBOT_URL"


class RobotLink:
    """The one connection to the base, opened on first use; None while not connected."""

    def __init__(self, url: str | None) -> None:
        self.url, self.base, self.problem = url, None, ""
        self._lock = threading.Lock()

    def get(self) -> Any:
        with self._lock:
            if self.base is None and self.url:
                self._connect()
            return self.base

    def _connect(self) -> None:
        try:
            self.base = Base.connect(self.url, timeout=3.0)
        except (RobotError, OSError) as exc:
            self.problem = str(exc)


def _robot(request: Request) -> RobotLink:
    if not hasattr(request.app.state, "robot"):
        request.app.state.robot = RobotLink(os.environ.get(ROBOT_ENV))
    return request.app.state.robot


COMMANDS = {"pause": "hold", "estop": "estop"}


@router.get("/robot")
def robot_page(request: Request, seen: Viewer = Depends(needs("runs.read"))) -> Response:
    link = _robot(request)
    base = link.get()
    status = base.status() if base is not None else None
    problem, link.problem = link.problem, ""
    return page(request, "robot.html", seen, status=status, problem=problem, url=link.url or "")


@router.post("/robot/{command}")
def robot_command(command: str, request: Request, seen: Viewer = Depends(posting("runs.start"))) -> Response:
    """Pause (HOLD) or e-stop (a forced disarm): no confirmation, an e-stop must be one click."""
    link = _robot(request)
    base = link.get()
    if command not in COMMANDS:
        raise Missing(f"no robot command '{command}'")
    try:
        if base is not None:
            getattr(base, COMMANDS[command])()
            record(request.app.state.store.engine, seen.user.name, f"robot.{command}", link.url or "", {})
    except RobotError as exc:
        link.problem = str(exc)
    return RedirectResponse("/console/robot", status_code=303)
