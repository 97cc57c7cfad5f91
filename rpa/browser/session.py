"""One Chromium for one run, driven from a thread of its own.

Playwright's sync API belongs to the thread that started it, while a run's steps, the idle
reaper and the run-end listener may call from different threads; so every call is handed to
the session's own thread and waited for. Each action is guarded there: Playwright errors are
translated (see `errors`), and a failed action leaves a screenshot and a trace in the
run's artifact folder. Tracing is off while a secret is typed and until the page navigates
away, because trace snapshots record input values and the network log records form posts.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from rpa.artifacts import run_folder
from rpa.browser import errors
from rpa.browser.config import BrowserConfig
from rpa.errors import ActivityError

T = TypeVar("T")
_GRACE = 15.0  # seconds past an action's own timeout before its thread is given up on


class BrowserSession:
    """A launched Chromium with one page; `run()` calls an action on that page."""

    def __init__(self, key: str, config: BrowserConfig) -> None:
        self.key, self.config = key, config
        self.artifacts = run_folder(key, config.artifacts)  # the run's folder, which the console shows
        self.last_used = time.monotonic()
        self.busy = 0
        self.broken = self.closed = False
        self._lock = threading.Lock()
        self._secret_on_page = False
        self._seq = itertools.count(1)
        self._thread = _Worker(f"browser-{_safe(key)[:20]}")
        try:
            self._wait(self._thread.submit(self._launch), config.timeout + _GRACE, "start")
        except ActivityError:
            self.close()
            raise

    # -- called from any thread ---------------------------------------------------------
    def run(self, action: Callable[..., T], *args: Any, what: str, selector: str | None = None,
            timeout: float | None = None, secret: Iterable[str] = ()) -> T:
        """Call `action(page, *args)` in the session thread; secrets are masked in errors."""
        limit = self.config.timeout if timeout is None else timeout
        with self._lock:
            self.busy += 1
        try:
            future = self._thread.submit(self._guarded, action, args, what, selector, limit,
                                         tuple(secret))
            return self._wait(future, limit + _GRACE, what)
        finally:
            with self._lock:
                self.busy -= 1
                self.last_used = time.monotonic()

    def idle_for(self) -> float:
        return 0.0 if self.busy else time.monotonic() - self.last_used

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        future = self._thread.submit(self._shutdown)
        # a browser already gone or stuck: the process takes it down when it exits
        with contextlib.suppress(FutureTimeout, PlaywrightError):
            future.result(timeout=_GRACE)
        self._thread.stop()

    def _wait(self, future: Future[T], limit: float, what: str) -> T:
        try:
            return future.result(timeout=limit)
        except FutureTimeout as exc:
            self.broken = True
            raise errors.BrowserTimeout(f"{what}: the browser stopped answering") from exc

    # -- in the session thread ------------------------------------------------------------
    def _launch(self) -> None:
        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=self.config.executable, headless=self.config.headless,
                args=list(self.config.args))
        except PlaywrightError as exc:
            self.broken = True
            raise errors.launch_failed(exc, self.config.executable) from exc
        width, height = self.config.viewport
        self._context = self._browser.new_context(viewport={"width": width, "height": height})
        self._tracing = False
        self.page = self._context.new_page()
        self.page.on("framenavigated", self._navigated)

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self._secret_on_page = False

    def _guarded(self, action: Callable[..., T], args: tuple[Any, ...], what: str,
                 selector: str | None, limit: float, secret: tuple[str, ...]) -> T:
        self.page.set_default_timeout(limit * 1000)
        self.page.set_default_navigation_timeout(limit * 1000)
        traced = False
        try:
            traced = self._start_trace(bool(secret))
            result = action(self.page, *args)
        except PlaywrightError as exc:
            error = errors.translate(exc, what, self.page, selector, secret)
            self.broken = self.broken or isinstance(error, errors.BrowserClosed)
            self._keep_evidence(what, traced, error)
            raise error from exc
        except ActivityError as exc:
            self._keep_evidence(what, traced, exc)
            raise
        self._stop_trace(traced, None)
        return result

    def _start_trace(self, typing_secret: bool) -> bool:
        self._secret_on_page = self._secret_on_page or typing_secret
        if not self.config.trace:
            return False
        if self._secret_on_page:  # the network log would keep the secret's request too
            self._stop_tracing()
            return False
        if not self._tracing:
            self._context.tracing.start(screenshots=True, snapshots=True)
            self._tracing = True
        self._context.tracing.start_chunk()
        return True

    def _stop_tracing(self) -> None:
        if self._tracing:
            self._tracing = False
            with contextlib.suppress(PlaywrightError):
                self._context.tracing.stop()

    def _stop_trace(self, traced: bool, path: Path | None) -> None:
        if traced:  # a closed browser has no trace to keep
            with contextlib.suppress(PlaywrightError):
                self._context.tracing.stop_chunk(path=path)

    def _keep_evidence(self, what: str, traced: bool, error: ActivityError) -> None:
        """Screenshot and trace of a failed action, named in the error's message."""
        stem = f"{next(self._seq):03d}-{_safe(what)}-failed"
        image, trace = self.artifacts / f"{stem}.png", self.artifacts / f"{stem}.trace.zip"
        self.artifacts.mkdir(parents=True, exist_ok=True)
        self._stop_trace(traced, trace)
        kept = [trace] if trace.exists() else []
        if not self.page.is_closed():
            with contextlib.suppress(PlaywrightError):  # a page that cannot be drawn: no image
                self.page.screenshot(path=image, full_page=True, timeout=2000)
                kept.insert(0, image)
        error.artifacts = [str(p) for p in kept]  # type: ignore[attr-defined]
        if kept:
            error.args = (f"{error} (evidence: {', '.join(error.artifacts)})",)  # type: ignore[attr-defined]

    def _shutdown(self) -> None:
        steps = (("_context", "close"), ("_browser", "close"), ("_playwright", "stop"))
        for owner, method in steps:  # AttributeError: it never started
            with contextlib.suppress(PlaywrightError, AttributeError):
                getattr(getattr(self, owner), method)()


class _Worker:
    """A daemon thread running submitted calls in order; unlike a ThreadPoolExecutor it still
    takes work while the interpreter exits, so `atexit` can close the browsers."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        threading.Thread(target=self._loop, name=name, daemon=True).start()

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        self._jobs.put((future, fn, args))
        return future

    def stop(self) -> None:
        self._jobs.put(None)

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, fn, args = job
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args))
                except BaseException as exc:  # handed to the caller, who re-raises it
                    future.set_exception(exc)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "run"
