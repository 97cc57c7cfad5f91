"""Administration (admins only): users and secret names; and the robot page.

The robot page talks to the base named by SMARTLAB_ROBOT_URL through `receptionist_robot`;
with no URL, or a base that does not answer, it says "not connected" and offers nothing.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from rpa.audit import record
from rpa.auth import list_users
from rpa.secrets import list_secrets, set_secret
from rpa.web.console.guard import Missing, Viewer, needs, posting
from rpa.web.console.render import page

router = APIRouter(prefix="/console")
ROBOT_ENV = "SMARTLAB_ROBOT_URL"


@router.get("/users")
def users_page(request: Request, seen: Viewer = Depends(needs("users.manage"))) -> Response:
    return page(request, "users.html", seen, users=list_users(request.app.state.store.engine))


@router.get("/secrets")
def secrets_page(request: Request, message: str = "", seen: Viewer = Depends(needs("secrets.manage"))) -> Response:
    try:
        names, problem = list_secrets(), ""
    except Exception as exc:  # noqa: BLE001 - a missing key or file is shown, not raised
        names, problem = [], str(exc)
    return page(request, "secrets.html", seen, names=names, problem=problem, message=message)


@router.post("/secrets")
def put_secret(request: Request, name: str = Form(...), value: str = Form(...),
               seen: Viewer = Depends(posting("secrets.manage"))) -> Response:
    set_secret(request.app.state.store.engine, seen.user.name, name, value)
    return RedirectResponse("/console/secrets?message=done", status_code=303)


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
        from receptionist_robot import Base, RobotError

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
    from receptionist_robot import RobotError

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
