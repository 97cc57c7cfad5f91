"""Closing a run's browser when the run ends.

Kept out of `rpa.browser`'s front door because the engine imports the activities, which
import `rpa.browser`; importing the engine from there would be circular.
"""

from __future__ import annotations

from rpa.browser.manager import SessionManager, sessions
from rpa.engine.listener import Listener


class BrowserListener(Listener):
    """Add to a Runner's listeners; a paused run's browser is left to the idle timeout."""

    def __init__(self, manager: SessionManager = sessions) -> None:
        self.manager = manager

    def end_run(self, run_id: str, status: str, error: str | None) -> None:
        self.manager.close(run_id)
