"""The one place Playwright's exceptions become SmartLab errors.

    ActivityError                          (rpa.errors)
    ├── BusinessError                      the page does not fit the data: route, do not retry
    │   ├── ElementMissing                 nothing matches a selector after waiting for it
    │   ├── AmbiguousSelector              a selector matches several elements
    │   └── PageRejected                   the page shows a validation or error message
    └── ApplicationError                   the browser or the site misbehaved: retry per policy
        ├── BrowserTimeout                 navigation or an element that exists never got ready
        └── BrowserClosed                  the page, context or browser went away (crash, close)

Messages never carry typed secrets: every text in `redact` is replaced by `***`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rpa.errors import ActivityError, ApplicationError, BusinessError

if TYPE_CHECKING:  # Playwright itself is imported only once a page misbehaves (start-up cost)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import Page

_PROBE_MS = 500  # a bounded look; `count()` would block until a pending navigation ends
_CLOSED_MARKS = ("has been closed", "target closed", "browser has disconnected",
                 "connection closed")


class ElementMissing(BusinessError):
    """No element matches the selector, even after waiting for it."""


class AmbiguousSelector(BusinessError):
    """The selector matches more than one element; the flow must say which."""


class PageRejected(BusinessError):
    """The page answered with a validation or error message (shown in the error)."""


class BrowserTimeout(ApplicationError):
    """A navigation or an action did not finish in time; the site may be slow."""


class BrowserClosed(ApplicationError):
    """The browser went away; the session is dropped and the next step starts a new one."""


def translate(exc: PlaywrightError, action: str, page: Page | None = None,
              selector: str | None = None, redact: Iterable[str] = ()) -> ActivityError:
    """The SmartLab error for a Playwright failure; callers `raise translate(...) from exc`."""
    kind, message = _classify(exc, action, page, selector)
    return kind(scrub(message, redact))


def _classify(exc: PlaywrightError, action: str, page: Page | None,
              selector: str | None) -> tuple[type[ActivityError], str]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    lines = (exc.message or str(exc)).strip().splitlines()
    reason = lines[0] if lines else type(exc).__name__
    if is_closed(exc):
        return BrowserClosed, f"{action}: the browser closed ({reason})"
    if "strict mode violation" in reason:
        return AmbiguousSelector, (f"{action}: '{selector}' matches several elements; "
                                   "make the selector more specific")
    if isinstance(exc, PlaywrightTimeout):
        if selector and _absent(page, selector):
            return ElementMissing, f"{action}: no element matches '{selector}' on {_where(page)}"
        return BrowserTimeout, f"{action}: {reason}"
    return ApplicationError, f"{action}: {reason}"


def launch_failed(exc: Exception, executable: str) -> ApplicationError:
    return ApplicationError(f"cannot start Chromium at {executable}: {str(exc).splitlines()[0]}")


def is_closed(exc: BaseException) -> bool:
    text = str(exc).lower()
    return type(exc).__name__ == "TargetClosedError" or any(m in text for m in _CLOSED_MARKS)


def scrub(text: str, redact: Iterable[str]) -> str:
    for secret in redact:
        if secret:
            text = text.replace(secret, "***")
    return text


def _absent(page: Page | None, selector: str) -> bool:
    """True only on proof that nothing matches: a dead page, or one still navigating (where
    even a probe times out), is the site's trouble, not missing data."""
    from playwright.sync_api import Error as PlaywrightError

    if page is None or page.is_closed():
        return False
    try:
        page.locator(selector).first.wait_for(state="detached", timeout=_PROBE_MS)
    except PlaywrightError:
        return False
    return True


def _where(page: Page | None) -> str:
    return page.url if page is not None and not page.is_closed() else "the page"
