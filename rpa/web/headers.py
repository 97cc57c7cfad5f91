"""Security headers on every answer of the web app (API and console).

The console's pages load scripts only from /console/static (no inline script, no `eval`),
so the policy can forbid both; styles may be inline (the robot map's SVG sets them). No
page may be framed (clickjacking) and no address leaks to another site in a Referer.
The API page /docs (rpa/web/docs.py, for signed-in callers) loads Swagger UI from its CDN
with an inline script: it gets the frame and referrer headers but not the script policy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS: dict[str, str] = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
    "cross-origin-opener-policy": "same-origin",
}
NO_SCRIPT_POLICY = ("/docs",)  # Swagger UI (rpa/web/docs.py)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]


class SecurityHeaders:
    """A plain ASGI middleware (it leaves streamed answers, the live pages, streaming)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = _headers_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in wanted.items() if k.encode() not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _headers_for(path: str) -> dict[str, str]:
    if path.startswith(NO_SCRIPT_POLICY):
        return {k: v for k, v in HEADERS.items() if k != "content-security-policy"}
    return HEADERS


def install_security_headers(app: FastAPI) -> FastAPI:
    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]
    return app
