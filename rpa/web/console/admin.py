"""Administration (admins only): users and secret names.

(The robot page comes from `receptionist_robot.console`, through the `smartlab.console`
entry points: the engine's console does not import the robot.)
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from rpa.auth import list_users
from rpa.secrets import list_secrets, set_secret
from rpa.web.console.guard import Viewer, needs, posting
from rpa.web.console.render import page

router = APIRouter(prefix="/console")


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
