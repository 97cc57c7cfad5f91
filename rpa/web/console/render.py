"""Templates: one Jinja2 environment with the label lookup, formatting filters and the nav."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from rpa.web.console import humanize
from rpa.web.console.guard import CSRF_FIELD, Viewer, lang_of
from rpa.web.console.i18n import translate, word

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


def _lang(context: Any) -> str:
    return context.get("lang", "en")


@pass_context
def when(context: Any, epoch: float | None) -> str:
    """A date and time in the viewer's language and the console's time zone."""
    return humanize.when(epoch, _lang(context))


@pass_context
def age(context: Any, epoch: float | None) -> str:
    """"3 min ago" from the page's own clock reading (`now`), never the wall clock here."""
    return humanize.ago(epoch, context["now"], _lang(context))


@pass_context
def span(context: Any, seconds: float | None) -> str:
    return "" if seconds is None else humanize.span(seconds, _lang(context))


@pass_context
def words(context: Any, value: Any) -> str:
    return humanize.words(value, _lang(context))


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _word(prefix: str) -> Any:
    """A filter turning a store key (status, event kind, role) into the viewer's plain word."""
    return pass_context(lambda context, key: word(prefix, key, _lang(context)) if key else "")


TEMPLATES.env.filters.update(when=when, age=age, span=span, words=words, as_json=as_json, status=_word("st"),
                             kind=_word("kind"), role=_word("role"), band=_word("band"))


def clock(request: Request) -> float:
    """The app's clock (`app.state.clock`, for tests that pin time), else the wall clock."""
    return getattr(request.app.state, "clock", time.time)()


def page(request: Request, name: str, seen: Viewer | None, status_code: int = 200,
         **context: Any) -> HTMLResponse:
    """Render a page with what every page needs: labels in the viewer's language, nav, CSRF."""
    lang = seen.lang if seen else lang_of(request)
    base = {"lang": lang, "t": lambda key, **v: translate(key, lang, **v), "viewer": seen,
            "nav": [n for n in NAV if seen and seen.can(n[2])], "csrf_field": CSRF_FIELD,
            "csrf": seen.session.csrf if seen else "", "path": request.url.path,
            "now": clock(request)}
    return TEMPLATES.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
