"""Built-in `browser.*` activities: thin calls into `rpa.browser` on the run's own browser.

Each run gets one Chromium, started by its first browser step and reused by the next ones.
None of these is an effect in the ledger: a resumed run has a fresh browser, so page steps
must run again; put the exactly-once guard in the business activity (see `case.create`).
Typed secrets (`browser.login`, `browser.fill` with `secret: true`) never reach a log,
an error message or a trace.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rpa.activities import roots
from rpa.activities.context import Context
from rpa.activities.spec import activity
from rpa.browser import actions, sessions
from rpa.browser.actions import ElementState, WaitUntil
from rpa.errors import BusinessError

if TYPE_CHECKING:  # Playwright loads with a run's first browser step, not with the activity list
    from rpa.browser import BrowserSession


def session_for(ctx: Context) -> BrowserSession:
    return sessions.session(ctx.run_id)


def limit(ctx: Context, timeout: float | None) -> float:
    """The action's timeout, never past the state's deadline."""
    wanted = sessions.config.timeout if timeout is None else timeout
    return min(wanted, ctx.remaining(default=wanted))


@activity("browser.open")
def open_(ctx: Context, url: str, wait_until: WaitUntil = "load",
          timeout: float | None = None) -> dict[str, Any]:
    """Go to a URL; returns `{url, title, status}`."""
    return session_for(ctx).run(actions.goto, url, wait_until, what=f"browser.open {url}",
                                timeout=limit(ctx, timeout))


@activity("browser.login")
def login(ctx: Context, url: str, username: str, password: str,
          username_selector: str = "#username", password_selector: str = "#password",
          submit_selector: str = "[type=submit]", expect: str | None = None,
          errors: str | None = "[role=alert]", timeout: float | None = None) -> dict[str, Any]:
    """Sign in on a login page; refused credentials are a BusinessError. Never logged."""
    fields = {"username": username_selector, "password": password_selector,
              "submit": submit_selector}
    return session_for(ctx).run(actions.login, url, username, password, fields, expect, errors,
                                what="browser.login", timeout=limit(ctx, timeout),
                                secret=(password, username))


@activity("browser.fill")
def fill(ctx: Context, selector: str, value: str | int | float, secret: bool = False,
         timeout: float | None = None) -> str:
    """Type a value into a field, replacing its text; `secret: true` keeps it out of traces."""
    text = str(value)
    return session_for(ctx).run(actions.fill, selector, text, what=f"browser.fill {selector}",
                                selector=selector, timeout=limit(ctx, timeout),
                                secret=(text,) if secret else ())


@activity("browser.select")
def select(ctx: Context, selector: str, value: str | None = None, label: str | None = None,
           timeout: float | None = None) -> list[str]:
    """Choose an option of a drop-down by its value or its visible label."""
    if (value is None) == (label is None):
        raise BusinessError("browser.select: give exactly one of 'value' or 'label'")
    return session_for(ctx).run(actions.select, selector, value, label, selector=selector,
                                what=f"browser.select {selector}", timeout=limit(ctx, timeout))


@activity("browser.check")
def check(ctx: Context, selector: str, checked: bool = True, timeout: float | None = None) -> bool:
    """Tick (or, with `checked: false`, clear) a checkbox or radio button."""
    return session_for(ctx).run(actions.check, selector, checked, selector=selector,
                                what=f"browser.check {selector}", timeout=limit(ctx, timeout))


@activity("browser.click")
def click(ctx: Context, selector: str, expect: str | None = None, errors: str | None = None,
          timeout: float | None = None) -> dict[str, Any]:
    """Click; with `expect`, wait for it to show; if `errors` shows, fail with its text."""
    return session_for(ctx).run(actions.click, selector, expect, errors, selector=selector,
                                what=f"browser.click {selector}", timeout=limit(ctx, timeout))


@activity("browser.upload")
def upload(ctx: Context, selector: str, files: list[Path],
           timeout: float | None = None) -> list[str]:
    """Attach files (inside the file roots, see `rpa.activities.roots`) to a file input."""
    for f in files:
        roots.readable(f, ctx.run_id)
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise BusinessError(f"browser.upload: file not found: {', '.join(missing)}")
    return session_for(ctx).run(actions.upload, selector, [str(f) for f in files],
                                selector=selector, what=f"browser.upload {selector}",
                                timeout=limit(ctx, timeout))


@activity("browser.text")
def text(ctx: Context, selector: str, all: bool = False,
         timeout: float | None = None) -> str | list[str]:
    """The visible text of an element (waiting for it), or a list for every match with `all`."""
    return session_for(ctx).run(actions.text, selector, all, selector=selector,
                                what=f"browser.text {selector}", timeout=limit(ctx, timeout))


@activity("browser.wait")
def wait(ctx: Context, selector: str, state: ElementState = "visible", errors: str | None = None,
         timeout: float | None = None) -> bool:
    """Wait for an element to become visible (or hidden, attached, detached)."""
    return session_for(ctx).run(actions.wait, selector, state, errors, selector=selector,
                                what=f"browser.wait {selector}", timeout=limit(ctx, timeout))


@activity("browser.screenshot")
def screenshot(ctx: Context, name: str = "page", path: Path | None = None,
               full_page: bool = True) -> str:
    """Save a PNG of the page in the run's artifact folder (or at `path`); returns its path."""
    if path is not None:
        roots.writable(path, ctx.run_id)
    session = session_for(ctx)
    target = path or session.artifacts / f"{Path(name).stem or 'page'}.png"
    return session.run(actions.screenshot, str(target), full_page, what="browser.screenshot",
                       timeout=limit(ctx, None))


@activity("browser.close")
def close(ctx: Context) -> bool:
    """Close the run's browser now (it also closes at the run's end or when idle)."""
    return sessions.close(ctx.run_id)


ACTIVITIES: list = [open_, login, fill, select, check, click, upload, text, wait, screenshot,
                    close]
