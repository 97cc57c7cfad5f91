"""Who is calling the API, and may they: bearer tokens checked against the role table.

With no users at all (a fresh install on loopback) the API is open and says so in /api/health;
from the first `smartlab users add` on, every call needs a token, and roles decide (403).
`caller` also takes the console's session cookie, for the read-only pages a browser opens
(/docs, /openapi.json, the details of /api/health); nothing that acts takes the cookie.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rpa.auth import Forbidden, authenticate, list_users, require
from rpa.web.console.guard import ConsoleError, viewer

_bearer = HTTPBearer(auto_error=False, description="an API token from `smartlab users add` or `users token`")
OPEN_ACTOR = "anonymous (no users yet)"


def open_mode(request: Request) -> bool:
    return not list_users(request.app.state.store.engine)


def caller(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> str | None:
    """A dependency: who is calling, a token's user, else the console session's; None for a
    stranger (a token that is wrong counts as none)."""
    if open_mode(request):
        return OPEN_ACTOR
    if credentials is not None:
        user = authenticate(request.app.state.store.engine, credentials.credentials)
        return None if user is None else user.name
    try:
        return viewer(request).user.name
    except ConsoleError:
        return None


def signed_in(name: str | None = Depends(caller)) -> str:
    """A dependency: any signed-in caller's name (token or console session), else 401."""
    if name is None:
        raise HTTPException(401, "sign in at /console/login or send an API token",
                            headers={"WWW-Authenticate": "Bearer"})
    return name


def allowed(action: str) -> Callable[..., str]:
    """A dependency that returns the caller's name when they may do `action`."""

    def check(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> str:
        if open_mode(request):
            return OPEN_ACTOR
        if credentials is None:
            raise HTTPException(401, "an API token is required", headers={"WWW-Authenticate": "Bearer"})
        user = authenticate(request.app.state.store.engine, credentials.credentials)
        if user is None:
            raise HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
        try:
            require(user, action)
        except Forbidden as exc:
            raise HTTPException(403, str(exc)) from exc
        return user.name

    return check
