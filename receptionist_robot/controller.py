"""The tour controller: a state machine over the base, fed by events, ticking a few times a second.

The states and what is recorded live in tour_state.py, moving along legs in driving.py,
the handling of each posted event in tour_events.py; this module runs the loop.

Events come from the base (arrival, obstacle, battery, link, and a disarm or mode change
nobody here commanded, which is an e-stop), from the dialogue and the operators (`post`:
pause, resume, skip, repeat, goto, stop, estop, reset; abort, when the server or the CLI
goes away, ends the tour where it is) and from timers (dwell). Presentations go out as
events with the text in every language; the kiosk and the dialogue layer speak them. Every
tour is recorded in the store as it happens, with the reason it ended and what the base
was left in: a tour that does not end on the dock leaves the base in HOLD, disarmed once
still or after `SafetyConfig.disarm_after` seconds (safety.make_safe).

Speed: WP_SPEED (read back) is set to the slowest cap before moving, so GUIDED never drives
faster than any cap, and set back to what it was at every end (completed, fault, abort);
DO_CHANGE_SPEED follows per leg, once the base is driving a target (real firmware refuses it
before), and again after every entry into GUIDED and every link recovery.
"""

from __future__ import annotations

import math
import queue
import time
from collections.abc import Callable
from typing import Any

from receptionist_robot.base import Base, Frame
from receptionist_robot.docking import Docking
from receptionist_robot.driving import Driving
from receptionist_robot.errors import CommandError, LinkError, ParameterError, UnsafeBase
from receptionist_robot.safety import SafetyConfig, check_failsafe, make_safe
from receptionist_robot.store import TourRecords
from receptionist_robot.tour_events import EventHandlers
from receptionist_robot.tour_state import (
    ARRIVAL,
    COMMAND_PATIENCE,
    ENDS,
    STATES,
    TICK,
    TRANSITIONS,
    Listener,
    Phase,
    Progress,
    TourEvent,
)
from receptionist_robot.tours import LANGUAGES, TourMap
from rpa.engine.machine import state_machine

__all__ = ["TourController", "TourEvent"]


class TourController(Driving, EventHandlers):
    def __init__(self, base: Base, tour_map: TourMap, tour: str, lang: str = "en",
                 records: TourRecords | None = None, dwell_scale: float = 1.0,
                 safety: SafetyConfig | None = None) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"language '{lang}' is not one of {', '.join(LANGUAGES)}")
        self.base, self.map, self.tour_name, self.lang = base, tour_map, tour, lang
        self.tour = tour_map.tour(tour)
        self.records, self.dwell_scale = records, dwell_scale
        self.phase = Phase()
        state_machine(self.phase, STATES, TRANSITIONS, "docked",
                      after_state_change=self._announce)
        self.progress = Progress()
        self.listeners: list[Listener] = []
        self.tour_id: str | None = None
        self._events: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self._started = 0.0
        self._battery_start: float | None = None
        self._cruise_found: float | None = None  # WP_SPEED before the tour set it
        self.safety = safety or SafetyConfig.from_env()
        self.tolerance = ARRIVAL[self.safety.steering]
        self.docking = Docking(base, tour_map, self.safety.steering)
        base.link.on_state(lambda up: self.post("link_up" if up else "link_lost"))
        base.guard.listeners.append(self._uncommanded)

    # -- the outside world ---------------------------------------------------------------
    @property
    def state(self) -> str:
        return self.phase.state

    def post(self, event: str, **data: Any) -> None:
        """Thread-safe: dialogue, operators and the link post here; the tour loop handles it."""
        self._events.put((event, data))

    def emit(self, kind: str, **data: Any) -> None:
        event = TourEvent(kind, self.phase.state, data)
        for listener in list(self.listeners):
            listener(event)

    def _announce(self) -> None:
        self.emit("state")

    def _uncommanded(self, reason: str) -> None:
        """Called on the link's thread: the loop treats it as an e-stop (never re-arming)."""
        self.post("estop", reason=reason)

    # -- the loop ------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        self._begin()
        while True:
            self._drain_events()
            if self.state in ENDS or self.progress.aborted:
                break
            self._guarded_tick()
            time.sleep(TICK)
        return self._finish()

    def _begin(self) -> None:
        self._started = time.monotonic()
        self._battery_start = self.base.telemetry.battery_pct
        self.base.frame = Frame(*self.map.frame)
        if self.records:
            self.tour_id = self.records.start(self.tour_name, self.map.map, self.lang,
                                              self._battery_start)
        try:
            self.emit("failsafe", settings=check_failsafe(self.base.params, self.safety.failsafe))
        except UnsafeBase as exc:
            self.progress.reason = str(exc)
            self.emit("refused", error=str(exc))
            return self.phase.trigger("refuse")
        self._set_cruise()
        self.phase.trigger("start")

    def _set_cruise(self) -> None:
        """WP_SPEED to the slowest cap on the map, so no leg is driven too fast before its
        DO_CHANGE_SPEED is taken."""
        caps = [self.tour.speed, *(e.speed for e in self.map.edges if e.speed)]
        try:
            self._cruise_found = self.base.params.get("WP_SPEED")
            self.base.set_cruise(min(caps))
        except (ParameterError, LinkError) as exc:
            self._speed_refused(f"WP_SPEED: {exc}")

    def _restore_cruise(self) -> str:
        """WP_SPEED back to what the base had before the tour, however the tour ended (the
        base is already holding, so the change moves nothing)."""
        found = self._cruise_found
        if found is None:
            return "untouched"
        try:
            self.base.set_cruise(found)
        except (ParameterError, LinkError) as exc:
            self.emit("speed_warning", error=f"WP_SPEED not restored to {found:g}: {exc}")
            return f"not restored ({exc}): left at the tour's cap"
        return f"restored to {found:g}"

    def _guarded_tick(self) -> None:
        if self.base.guard.tripped and self.state != "estopped":
            return  # the e-stop event is on its way: nothing moves meanwhile
        self._odometer()
        try:
            self._TICKS[self.state](self)
            self.progress.failing_since = None
        except (CommandError, LinkError) as exc:
            self._command_trouble(exc)

    def _command_trouble(self, exc: Exception) -> None:
        now = time.monotonic()
        p = self.progress
        p.failing_since = p.failing_since or now
        self.emit("command_retry", error=str(exc))
        if self.base.link.is_up and now - p.failing_since > COMMAND_PATIENCE:
            self._fail(str(exc))

    def _fail(self, reason: str) -> None:
        self.progress.reason = reason
        self.emit("fault", error=reason)
        self.phase.trigger("fail")

    def _speed_refused(self, why: str) -> None:
        """Soft: the base drives at its own default speed, and we say so. Hard: stop."""
        if self.safety.speed_limit == "hard":
            return self._fail(f"speed limit refused (SMARTLAB_ROBOT_SPEED_LIMIT=hard): {why}")
        if why not in self.progress.warned:
            self.progress.warned.add(why)
            self.emit("speed_warning", error=why)

    def _odometer(self) -> None:
        t, p = self.base.position(), self.progress
        if p.last_xy is not None:
            p.distance += math.hypot(t.x - p.last_xy[0], t.y - p.last_xy[1])
        p.last_xy = (t.x, t.y)
        t = self.base.telemetry
        battery = t.battery_pct
        if battery is not None and battery <= self.map.policies.low_battery and not p.low_battery:
            p.low_battery = True
            self.emit("low_battery", battery=battery)

    # -- ticks per state -------------------------------------------------------------------
    def _tick_greeting(self) -> None:
        if not self.progress.greeted:
            self.progress.greeted = True
            self.emit("greeting", text=self.tour.names.get(self.lang))
        self.base.start_driving()
        self._advance()

    def _tick_navigating(self) -> None:
        self._drive(on_arrival=lambda: self._arrive())

    def _tick_returning(self) -> None:
        self._drive(on_arrival=lambda: self.phase.trigger("at_dock"))

    def _tick_presenting(self) -> None:
        if time.monotonic() >= self.progress.dwell_until:
            self._record_stop("visited")
            self._advance()

    def _tick_docking(self) -> None:
        if not self.docking.settle():
            return
        offset = self.docking.finish()
        if offset > self.docking.tolerance:
            self.emit("dock_offset", offset=round(offset, 2), tolerance=self.docking.tolerance)
        self.phase.trigger("docked")

    def _tick_waiting(self) -> None:
        """Paused: nothing moves until an event says so."""

    def _tick_estopped(self) -> None:
        if self.base.telemetry.armed:  # until the base confirms, keep forcing the disarm
            self.base.estop()

    # -- stops ---------------------------------------------------------------------------------
    def _advance(self) -> None:
        p = self.progress
        if p.low_battery and p.index >= 0 or p.index + 1 >= len(self.tour.stops):
            return self._go_home()
        self._route_to(self.tour.stops[p.index + 1].location)  # may raise: index unchanged
        p.index += 1
        self.phase.trigger("next_stop")

    def _go_home(self) -> None:
        self._route_to(self.map.dock)
        self.phase.trigger("go_home")

    def _arrive(self) -> None:
        self.phase.trigger("arrive")
        self._present()

    def _present(self) -> None:
        stop = self.tour.stops[self.progress.index]
        location = self.map.locations[stop.location]
        self.progress.dwell_until = time.monotonic() + stop.dwell * self.dwell_scale
        self.emit("presentation", location=stop.location, name=location.names.get(self.lang),
                  text=stop.script.get(self.lang), intent=stop.intent,
                  texts={lang: stop.script.get(lang) for lang in LANGUAGES})

    def _record_stop(self, status: str, reason: str | None = None) -> None:
        """Once per stop, though the tick that records it may be retried after a failed command."""
        p = self.progress
        if p.index in p.recorded:
            return
        p.recorded.add(p.index)
        stop = self.tour.stops[p.index]
        entry = {"seq": p.index, "location": stop.location, "status": status, "reason": reason,
                 "name": self.map.locations[stop.location].names.get(self.lang)}
        p.stops.append(entry)
        self.emit(status, **entry)
        if self.records and self.tour_id:
            self.records.stop(self.tour_id, p.index, stop.location, status, reason)

    # -- the end ---------------------------------------------------------------------------------
    def _finish(self) -> dict[str, Any]:
        p, t = self.progress, self.base.telemetry
        status = "aborted" if p.aborted else "completed" if self.state == "docked" else self.state
        base_state = self._leave_base(status)
        wp_speed = self._restore_cruise()
        self.base.guard.listeners.remove(self._uncommanded)
        summary = {
            "tour_id": self.tour_id, "tour": self.tour_name, "map": self.map.map,
            "lang": self.lang, "status": status, "stops": p.stops,
            "distance_m": round(p.distance, 2),
            "duration_s": round(time.monotonic() - self._started, 2), "estops": p.estops,
            "link_losses": p.link_losses, "battery_start": self._battery_start,
            "battery_end": t.battery_pct, "counters": self.base.link.stats(),
            "reason": "; ".join([*([p.reason] if p.reason else []),
                                 *(f"e-stop: {r}" for r in p.estop_reasons)]) or None,
            "base_state": base_state, "wp_speed": wp_speed,
            "dock_offset_m": self.docking.offset,
        }
        if self.records and self.tour_id:
            self.records.finish(self.tour_id, **{k: summary[k] for k in (
                "status", "distance_m", "duration_s", "estops", "link_losses", "battery_end",
                "counters", "reason", "base_state", "dock_offset_m")})
        self.emit("finished", summary=summary)
        return summary

    def _leave_base(self, status: str) -> str:
        if status == "completed":
            return "HOLD, disarmed (on the dock)"
        if status == "refused":
            return "untouched"
        return make_safe(self.base, self.safety.disarm_after)

    _TICKS: dict[str, Callable[[TourController], None]] = {
        "greeting": _tick_greeting, "navigating": _tick_navigating,
        "presenting": _tick_presenting, "returning": _tick_returning,
        "docking": _tick_docking, "paused": _tick_waiting, "estopped": _tick_estopped,
    }
