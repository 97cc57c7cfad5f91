"""Who is looking at the console, and may they: the session cookie, roles and CSRF.

Errors here are the console's own tree, turned into pages by `mount_console`:

    ConsoleError
    ├── SignInNeeded   -> 303 to the sign-in page
    ├── Denied         -> the 403 page (a role that may not, or a forged POST)
    └── Missing        -> the 404 page
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from rpa.auth import User, can, get_user
from rpa.auth.errors import UnknownUser
from rpa.web.console.i18n import pick_lang
from rpa.web.console.sessions import Session, find_session

COOKIE = "smartlab_session"
LANG_COOKIE = "smartlab_lang"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


class ConsoleError(Exception):
    """Something the console shows as a page rather than a stack trace."""


class SignInNeeded(ConsoleError):
    pass


class Denied(ConsoleError):
    pass


class Missing(ConsoleError):
    pass


@dataclass(frozen=True)
class Viewer:
    user: User
    session: Session
    lang: str

    def can(self, action: str) -> bool:
        return can(self.user, action)


def lang_of(request: Request) -> str:
    return pick_lang(request.cookies.get(LANG_COOKIE))


def viewer(request: Request) -> Viewer:
    """The signed-in person, or SignInNeeded."""
    engine = request.app.state.store.engine
    session = find_session(engine, request.cookies.get(COOKIE))
    if session is None:
        raise SignInNeeded(request.url.path)
    try:
        user = get_user(engine, session.user_name)
    except UnknownUser as exc:
        raise SignInNeeded(request.url.path) from exc
    if user.disabled:
        raise SignInNeeded(request.url.path)
    return Viewer(user, session, lang_of(request))


def needs(action: str) -> Callable[[Request], Viewer]:
    """A dependency: the viewer when their role may do `action`, else the 403 page."""

    def check(request: Request) -> Viewer:
        seen = viewer(request)
        if not seen.can(action):
            raise Denied(f"role '{seen.user.role}' may not {action}")
        return seen

    return check


async def check_csrf(request: Request, expected: str) -> None:
    """Refuse a POST whose CSRF token (form field or htmx header) is not the session's."""
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        form = await request.form()
        given = str(form.get(CSRF_FIELD, ""))
    if not given or not hmac.compare_digest(given, expected):
        raise Denied("the form's CSRF token is missing or wrong: reload the page and try again")


def posting(action: str) -> Callable[[Request], object]:
    """A dependency for POSTs: the role check, then the CSRF check against the session."""
    role_check = needs(action)

    async def check(request: Request) -> Viewer:
        seen = role_check(request)
        await check_csrf(request, seen.session.csrf)
        return seen

    return check
