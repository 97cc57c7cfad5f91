"""What the tour controller does with each event posted to it: from the link (lost, up),
from visitors and operators (pause, resume, skip, repeat, goto, stop, estop, reset) and from
a server or CLI going away (abort). Handled on the tour's own thread, between ticks.
"""

from __future__ import annotations

import contextlib
import queue
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from receptionist_robot.base import Base
from receptionist_robot.errors import CommandError, LinkError
from receptionist_robot.tour_state import ENDS, MOVING, Phase, Progress

if TYPE_CHECKING:
    from receptionist_robot.tours import Tour


class EventHandlers:
    """Mixed into TourController: one handler per event name, looked up in `_EVENTS`."""

    base: Base
    tour: Tour
    progress: Progress
    phase: Phase
    _events: queue.Queue[tuple[str, dict[str, Any]]]

    def _drain_events(self) -> None:
        while True:
            try:
                name, data = self._events.get_nowait()
            except queue.Empty:
                return
            handler = self._EVENTS.get(name)
            if handler is None:
                self.emit("ignored", event=name)
                continue
            try:
                handler(self, **data)
            except (CommandError, LinkError) as exc:
                self._command_trouble(exc)

    def _on_link_lost(self) -> None:
        p = self.progress
        p.link_losses += 1
        self.base.guard.allow_mode("HOLD")  # what the base's own GCS failsafe will do
        self.emit("link_lost")
        if self.state in MOVING:
            self._pause("link")
            self._try_hold()  # the base holds on its own failsafe if this cannot get through

    def _on_link_up(self) -> None:
        self.progress.speed_due = True  # the base may have restarted or changed mode meanwhile
        self.emit("link_restored")
        if self.state == "paused" and self.progress.pause_reason == "link":
            self._resume()

    def _on_pause(self) -> None:
        if self.state in MOVING:
            self._pause("operator")
            self._try_hold()

    def _on_resume(self) -> None:
        link_ok = self.base.link.is_up or self.progress.pause_reason != "link"
        if self.state == "paused" and link_ok:
            self._resume()

    def _pause(self, reason: str) -> None:
        self._keep_place(reason)
        self.phase.trigger("pause")

    def _keep_place(self, reason: str) -> None:
        """Where to come back to, and what is left of a presentation's dwell."""
        p = self.progress
        p.paused_from, p.pause_reason = self.state, reason
        if self.state == "presenting":
            p.dwell_until -= time.monotonic()

    def _resume(self) -> None:
        p = self.progress
        if p.paused_from == "presenting":
            p.dwell_until += time.monotonic()
        p.last_goal, p.leg_started, p.blocked_since = 0.0, time.monotonic(), None
        self.phase.trigger(f"resume_{p.paused_from}")

    def _try_hold(self) -> None:
        with contextlib.suppress(CommandError, LinkError):
            self.base.hold(retries=1, timeout=0.2)

    def _on_skip(self) -> None:
        p = self.progress
        if self.state in ("navigating", "presenting") and self.tour.stops[p.index].skippable:
            self._record_stop("skipped", "asked to skip")
            self._advance()

    def _on_repeat(self) -> None:
        if self.state == "presenting":
            self._present()

    def _on_goto(self, location: str) -> None:
        index = next((i for i, s in enumerate(self.tour.stops) if s.location == location), None)
        if index is None or self.state not in ("navigating", "presenting"):
            self.emit("ignored", event="goto", location=location)
            return
        self.progress.index = index - 1
        self._advance()

    def _on_stop(self) -> None:
        if self.state in ("greeting", "navigating", "presenting", "paused"):
            self._go_home()

    def _on_estop(self, reason: str = "operator e-stop") -> None:
        """Ours or one nobody here commanded: latched in the base's guard until `reset`."""
        if self.state in ("estopped", *ENDS):
            return
        p = self.progress
        p.estops += 1
        p.estop_reasons.append(reason)
        if self.state in MOVING:
            self._keep_place("estop")
        self.base.guard.trip(reason)
        self.phase.trigger("estop")
        self.emit("estopped", reason=reason)
        self.base.estop()

    def _on_abort(self, reason: str = "the server is going away") -> None:
        """End the tour where it is, the base holding: for a server or CLI going away."""
        self._try_hold()
        self.progress.aborted, self.progress.reason = True, reason
        self.emit("aborted", reason=reason)

    def _on_reset(self) -> None:
        if self.state == "estopped":
            self.base.reset()
            self.progress.paused_from = self.progress.paused_from or "navigating"
            self.progress.pause_reason = "operator"
            self.phase.trigger("reset")

    _EVENTS: dict[str, Callable[..., None]] = {
        "link_lost": _on_link_lost, "link_up": _on_link_up, "pause": _on_pause,
        "resume": _on_resume, "skip": _on_skip, "repeat": _on_repeat, "goto": _on_goto,
        "stop": _on_stop, "estop": _on_estop, "reset": _on_reset, "abort": _on_abort,
    }
