"""The API's own pages, /docs (Swagger UI) and /openapi.json, for signed-in callers only.

FastAPI serves both to anyone by default. They map every route and model, so the app turns
them off (`docs_url=None`, `redoc_url=None`, `openapi_url=None`) and serves them here to a
caller with an API token or the console's session cookie (a browser opening /docs sends it,
and so does Swagger UI's fetch of /openapi.json); both are read-only GETs. A stranger
opening /docs is sent to the console's sign-in page; /openapi.json answers 401.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from rpa.web.auth import caller, signed_in
from rpa.web.console.guard import SignInNeeded

OPENAPI, DOCS = "/openapi.json", "/docs"


def _person(name: str | None = Depends(caller)) -> str:
    """`signed_in` for a page a person opens: a stranger goes to the sign-in page."""
    if name is None:
        raise SignInNeeded(DOCS)
    return name


def install_api_docs(app: FastAPI) -> FastAPI:
    router = APIRouter(include_in_schema=False)

    @router.get(OPENAPI)
    def openapi(request: Request, _: str = Depends(signed_in)) -> dict[str, Any]:
        return request.app.openapi()

    @router.get(DOCS)
    def docs(_: str = Depends(_person)) -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=OPENAPI, title="SmartLab API")

    app.include_router(router)
    return app
