"""The web app: login, search by form reference, the new-licence-application form, case pages.

Server-rendered HTML with no JavaScript, so a bot sees exactly what an officer sees.
Form bodies are parsed here (url-encoded), so no multipart library is needed.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from examples.case_system.store import CaseStore
from examples.case_system.validation import LICENCE_TYPES, validate

COOKIE = "case_session"
_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                         autoescape=select_autoescape(["html"]))


def create_app(store: CaseStore, users: Mapping[str, str], submit_delay: float = 0.0) -> FastAPI:
    """The app over `store`; `users` maps user name to password.

    `submit_delay` holds the answer to a submitted form after the case is saved, so a test
    can kill a bot between submit and read-back (failure injection only).
    """
    app = FastAPI(title="Sample case system", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store, app.state.users, app.state.submit_delay = store, dict(users), submit_delay
    app.add_api_route("/", home, methods=["GET"])
    app.add_api_route("/login", login_page, methods=["GET"])
    app.add_api_route("/login", login, methods=["POST"])
    app.add_api_route("/logout", logout, methods=["POST"])
    app.add_api_route("/cases", search, methods=["GET"])
    app.add_api_route("/cases/new", new_case_page, methods=["GET"])
    app.add_api_route("/cases/new", new_case, methods=["POST"])
    app.add_api_route("/cases/{case_no}", case_page, methods=["GET"])
    return app


def render(name: str, status: int = 200, **values: Any) -> HTMLResponse:
    return HTMLResponse(_TEMPLATES.get_template(name).render(**values), status_code=status)


async def form_body(request: Request) -> dict[str, str]:
    parsed = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items()}


def current_user(request: Request) -> str | None:
    return request.app.state.store.session_user(request.cookies.get(COOKIE))


def to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


async def home(request: Request) -> Response:
    return RedirectResponse("/cases", status_code=303)


async def login_page(request: Request, next: str = "/cases") -> Response:
    return render("login.html", next=next, error=None, username="")


async def login(request: Request) -> Response:
    body = await form_body(request)
    username, password = body.get("username", ""), body.get("password", "")
    expected = request.app.state.users.get(username)
    if expected is None or not secrets.compare_digest(expected.encode(), password.encode()):
        return render("login.html", status=401, next=body.get("next", "/cases"), username=username,
                      error="Wrong user name or password 用戶名稱或密碼錯誤")
    token = request.app.state.store.open_session(username)
    response = RedirectResponse(_safe_next(body.get("next", "")), status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax")
    return response


async def logout(request: Request) -> Response:
    request.app.state.store.close_session(request.cookies.get(COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


async def search(request: Request, ref: str = "") -> Response:
    user = current_user(request)
    if user is None:
        return to_login(request)
    cases = request.app.state.store.find(ref) if ref.strip() else []
    return render("search.html", user=user, ref=ref, cases=cases, searched=bool(ref.strip()),
                  licence_types=LICENCE_TYPES)


async def new_case_page(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return to_login(request)
    return render("new_case.html", user=user, values={}, errors={}, licence_types=LICENCE_TYPES)


async def new_case(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return to_login(request)
    body = await form_body(request)
    clean, errors = validate(body)
    if errors:
        return render("new_case.html", status=422, user=user, values=body, errors=errors,
                      licence_types=LICENCE_TYPES)
    case_no = request.app.state.store.create_case(clean, user)
    await asyncio.sleep(request.app.state.submit_delay)
    return RedirectResponse(f"/cases/{case_no}?created=1", status_code=303)


async def case_page(request: Request, case_no: str, created: int = 0) -> Response:
    user = current_user(request)
    if user is None:
        return to_login(request)
    case = request.app.state.store.get(case_no)
    if case is None:
        return render("not_found.html", status=404, user=user, case_no=case_no)
    return render("case.html", user=user, case=case, created=bool(created),
                  licence_types=LICENCE_TYPES)


def _safe_next(target: str) -> str:
    """Only same-site paths, so the login page cannot redirect elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") else "/cases"
