"""What a client sees when the server itself fails: a status, one line and an error id —
never a traceback. The traceback goes to the server log under the same id, so an operator
told "error 3f9a1c2b7d40" finds it with grep.
"""

from __future__ import annotations

import logging
import secrets

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

log = logging.getLogger("smartlab.web")
INTERNAL = "internal error"


def new_error_id() -> str:
    return secrets.token_hex(6)


async def internal_error(request: Request, exc: Exception) -> Response:
    error_id = new_error_id()
    log.error("error %s: %s %s failed", error_id, request.method, request.url.path, exc_info=exc)
    message = f"{INTERNAL} (error id {error_id})"
    if request.url.path.startswith("/console"):
        return _console_page(request, message)
    return JSONResponse({"detail": message, "error_id": error_id}, status_code=500)


def _console_page(request: Request, message: str) -> Response:
    from rpa.web.console.mount import _maybe_viewer
    from rpa.web.console.render import page

    return page(request, "error.html", _maybe_viewer(request), 500, title="problem", message=message)


def install_error_pages(app: FastAPI) -> FastAPI:
    """Every exception no other handler took ends here (SmartLab's own errors have theirs)."""
    app.add_exception_handler(Exception, internal_error)
    return app
