"""Driving a web page with Playwright on Debian's Chromium; the only package importing Playwright.

`sessions` hands each run its own browser (one Chromium per run, reused across its steps);
`BrowserSession.run` calls a function from `actions` on the run's page and translates
Playwright's exceptions into the error tree drawn in `errors`. `BrowserListener`
(in `rpa.browser.listener`) closes a run's browser when the run ends.
"""

from typing import TYPE_CHECKING, Any

from rpa.browser import actions
from rpa.browser.config import BrowserConfig
from rpa.browser.errors import (
    AmbiguousSelector,
    BrowserClosed,
    BrowserTimeout,
    ElementMissing,
    PageRejected,
)
from rpa.browser.manager import SessionManager, sessions

if TYPE_CHECKING:
    from rpa.browser.session import BrowserSession


def __getattr__(name: str) -> Any:
    """`BrowserSession` imports Playwright, so it is loaded when first asked for."""
    if name == "BrowserSession":
        from rpa.browser.session import BrowserSession

        return BrowserSession
    raise AttributeError(f"module 'rpa.browser' has no attribute '{name}'")


__all__ = [
    "AmbiguousSelector",
    "BrowserClosed",
    "BrowserConfig",
    "BrowserSession",
    "BrowserTimeout",
    "ElementMissing",
    "PageRejected",
    "SessionManager",
    "actions",
    "sessions",
]
