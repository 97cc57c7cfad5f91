"""Signing in and out, and the language switch.

The sign-in form has no session yet, so its CSRF token is a double-submit cookie: the form
field must equal the cookie, which another site can neither read nor set.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from rpa.auth import list_users, verify_password
from rpa.web.console.guard import COOKIE, LANG_COOKIE, Denied, check_csrf, viewer
from rpa.web.console.i18n import pick_lang
from rpa.web.console.render import page
from rpa.web.console.sessions import SESSION_SECONDS, RateLimiter, close_session, open_session

PRE_CSRF = "smartlab_login_csrf"
router = APIRouter(prefix="/console")
limiter = RateLimiter()


def _safe_next(target: str | None) -> str:
    """Only a path inside the console: never an open redirect to another site."""
    return target if target and _inside_console(target) else "/console/"


def _inside_console(target: str) -> bool:
    """`/console/...` with no host (`//evil`), no backslash (browsers read it as a slash) and
    no control character (a header split)."""
    return (target == "/console" or target.startswith("/console/")) and not urlsplit(target).netloc \
        and "\\" not in target and target.isprintable()


def _cookie(response: Response, name: str, value: str, max_age: int, secure: bool) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", secure=secure,
                        path="/")


def _form(request: Request, next_path: str, message: str = "", status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    no_users = not list_users(request.app.state.store.engine)
    response = page(request, "login.html", None, status_code, login_csrf=token, next_path=next_path,
                    message=message, no_users=no_users)
    _cookie(response, PRE_CSRF, token, 3600, request.url.scheme == "https")
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:  # noqa: A002 - the query name
    return _form(request, _safe_next(next))


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), csrf: str = Form(""),
          next_path: str = Form("/console/")) -> Response:
    expected = request.cookies.get(PRE_CSRF, "")
    if not expected or not hmac.compare_digest(csrf, expected):
        raise Denied("the sign-in form's CSRF token is missing or wrong: reload the page")
    key = f"{request.client.host if request.client else '?'}|{username.strip().lower()}"
    if limiter.blocked(key):
        return _form(request, _safe_next(next_path), "too_many", 429)
    user = verify_password(request.app.state.store.engine, username.strip().lower(), password)
    if user is None:
        limiter.failed(key)
        return _form(request, _safe_next(next_path), "bad_login", 401)
    limiter.succeeded(key)
    response = RedirectResponse(_safe_next(next_path), status_code=303)
    token = open_session(request.app.state.store.engine, user.name)
    _cookie(response, COOKIE, token, SESSION_SECONDS, request.url.scheme == "https")
    response.delete_cookie(PRE_CSRF, path="/")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    seen = viewer(request)
    await check_csrf(request, seen.session.csrf)
    close_session(request.app.state.store.engine, request.cookies.get(COOKIE))
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/lang/{code}")
def switch_language(code: str, request: Request, back: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(back), status_code=303)
    response.set_cookie(LANG_COOKIE, pick_lang(code), max_age=365 * 86400, samesite="lax", path="/")
    return response
