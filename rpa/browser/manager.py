"""Browser sessions keyed by run: started on first use, reused by the run's later steps,
closed at the run's end (see `listener`), when idle too long, or when the process exits.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from rpa.browser.config import BrowserConfig

if TYPE_CHECKING:  # the session module imports Playwright: only when a run opens a browser
    from rpa.browser.session import BrowserSession

SessionFactory = Callable[[str, BrowserConfig], "BrowserSession"]


def _launch(key: str, config: BrowserConfig) -> BrowserSession:
    from rpa.browser.session import BrowserSession

    return BrowserSession(key, config)


class SessionManager:
    def __init__(self, config: BrowserConfig | None = None,
                 factory: SessionFactory = _launch) -> None:
        self._config = config
        self._factory = factory
        self._sessions: dict[str, BrowserSession] = {}
        self._lock = threading.Lock()
        self._reaper: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def config(self) -> BrowserConfig:
        """Read from the environment when first needed, so a process can set it up first."""
        if self._config is None:
            self._config = BrowserConfig.from_env()
        return self._config

    def configure(self, config: BrowserConfig) -> None:
        """Use `config` for sessions started from now on (e.g. from command-line flags)."""
        self._config = config

    def session(self, key: str) -> BrowserSession:
        """The run's session, started now if it has none or its browser went away."""
        with self._lock:
            current = self._sessions.get(key)
            if current is not None and not (current.broken or current.closed):
                return current
            self._sessions.pop(key, None)
        if current is not None:
            current.close()
        fresh = self._factory(key, self.config)
        with self._lock:
            self._sessions[key] = fresh
        self._start_reaper()
        return fresh

    def has(self, key: str) -> bool:
        with self._lock:
            return key in self._sessions

    def keys(self) -> list[str]:
        with self._lock:
            return sorted(self._sessions)

    def close(self, key: str) -> bool:
        """Close the run's browser; False when it had none."""
        with self._lock:
            found = self._sessions.pop(key, None)
        if found is not None:
            found.close()
        return found is not None

    def close_idle(self) -> list[str]:
        """Close every session unused for longer than the idle timeout; returns their keys."""
        limit = self.config.idle_timeout
        with self._lock:
            idle = [k for k, s in self._sessions.items() if s.idle_for() > limit]
        return [k for k in idle if self.close(k)]

    def close_all(self) -> None:
        self._stop.set()
        for key in self.keys():
            self.close(key)

    def _start_reaper(self) -> None:
        with self._lock:
            if self._reaper is not None:
                return
            self._reaper = threading.Thread(target=self._reap, name="browser-reaper", daemon=True)
        self._reaper.start()

    def _reap(self) -> None:
        interval = max(0.05, min(30.0, self.config.idle_timeout / 4))
        while not self._stop.wait(interval):
            self.close_idle()


sessions = SessionManager()
"""The process's sessions, used by the `browser.*` activities and by bots."""

atexit.register(sessions.close_all)
