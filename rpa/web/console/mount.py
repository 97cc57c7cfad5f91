"""Putting the console on an app: routers, static files, and error pages."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from rpa.errors import SmartLabError
from rpa.web.console import admin, live, login, ops, pages, runs, tasks
from rpa.web.console.guard import ConsoleError, Denied, Missing, SignInNeeded, Viewer, viewer
from rpa.web.console.render import page

STATIC = Path(__file__).parent / "static"
PLUGIN_GROUP = "smartlab.console"
ROUTERS = (login.router, pages.router, runs.router, tasks.router, ops.router, admin.router, live.router)


def _error_page(request: Request, exc: ConsoleError) -> Response:
    if isinstance(exc, SignInNeeded):
        return RedirectResponse(f"/console/login?next={quote(str(exc))}", status_code=303)
    status, title = {Denied: (403, "forbidden"), Missing: (404, "not_found")}.get(type(exc), (400, "problem"))
    return page(request, "error.html", _maybe_viewer(request), status, title=title, message=str(exc))


def _maybe_viewer(request: Request) -> Viewer | None:
    """The signed-in person, so an error page keeps the nav; None for a stranger."""
    try:
        return viewer(request)
    except ConsoleError:
        return None


def _plugin_routers() -> list[APIRouter]:
    """Pages other packages add (the robot page), by the `smartlab.console` entry points."""
    found = []
    for ep in entry_points(group=PLUGIN_GROUP):
        try:
            found.append(ep.load())
        except ImportError:  # a package not installed: its page is absent
            continue
    return found


def mount_console(app: FastAPI) -> FastAPI:
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
    for router in (*ROUTERS, *_plugin_routers()):
        app.include_router(router, include_in_schema=False)
    app.add_exception_handler(ConsoleError, _error_page)
    api_errors = app.exception_handlers.get(SmartLabError)

    async def smartlab_error(request: Request, exc: SmartLabError) -> Response:
        """Console pages show a SmartLab error as a page; the API keeps its JSON answer."""
        if request.url.path.startswith("/console") or api_errors is None:
            return page(request, "error.html", _maybe_viewer(request), 422, title="problem", message=str(exc))
        return await api_errors(request, exc)

    app.add_exception_handler(SmartLabError, smartlab_error)
    return app
