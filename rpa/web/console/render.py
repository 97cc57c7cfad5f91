"""Templates: one Jinja2 environment with the label lookup, formatting filters and the nav."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from rpa.web.console.guard import CSRF_FIELD, Viewer, lang_of
from rpa.web.console.i18n import translate

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

# (page label, path, action the role needs): the nav shows only what a role may open
NAV: tuple[tuple[str, str, str], ...] = (
    ("dashboard", "/console/", "runs.read"),
    ("runs", "/console/runs", "runs.read"),
    ("flows", "/console/flows", "runs.read"),
    ("queues", "/console/queues", "queues.read"),
    ("inbox", "/console/inbox", "tasks.read"),
    ("upload", "/console/upload", "queues.add"),
    ("audit", "/console/audit", "audit.read"),
    ("robot", "/console/robot", "runs.read"),
    ("users", "/console/users", "users.manage"),
    ("secrets", "/console/secrets", "secrets.manage"),
)


def when(epoch: float | None) -> str:
    if not epoch:
        return ""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S")


def age(epoch: float | None) -> str:
    if not epoch:
        return ""
    seconds = max(0, int(time.time() - epoch))
    units = ((86400, "d"), (3600, "h"), (60, "m"), (1, "s"))
    return next(f"{seconds // size}{unit}" for size, unit in units if seconds >= size or size == 1)


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


TEMPLATES.env.filters.update(when=when, age=age, as_json=as_json)


def page(request: Request, name: str, seen: Viewer | None, status_code: int = 200,
         **context: Any) -> HTMLResponse:
    """Render a page with what every page needs: labels in the viewer's language, nav, CSRF."""
    lang = seen.lang if seen else lang_of(request)
    base = {"lang": lang, "t": lambda key, **v: translate(key, lang, **v), "viewer": seen,
            "nav": [n for n in NAV if seen and seen.can(n[2])], "csrf_field": CSRF_FIELD,
            "csrf": seen.session.csrf if seen else "", "path": request.url.path}
    return TEMPLATES.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
