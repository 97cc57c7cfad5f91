"""The tour controller: a state machine over the base, fed by events, ticking a few times a second.

    docked -> greeting -> navigating <-> presenting -> returning -> docking -> docked
                  any moving state -> paused (operator, or link lost) -> back where it was
                  any state -> estopped (e-stop; held until an operator resets) -> paused
                  any state -> fault (commands keep failing with the link up)

Events come from the base (arrival, obstacle, battery, link), from the dialogue and the
operators (`post`: pause, resume, skip, repeat, goto, stop, estop, reset; abort, when the server
goes away, ends the tour where it is) and from timers
(dwell). Presentations go out as events with the text in every language; the kiosk and the
dialogue layer speak them. Every tour is recorded in the store as it happens.
"""

from __future__ import annotations

import contextlib
import math
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from receptionist_robot import mav
from receptionist_robot.base import Base, Pose
from receptionist_robot.errors import CommandError, LinkError
from receptionist_robot.routes import Waypoint, plan
from receptionist_robot.store import TourRecords
from receptionist_robot.tours import LANGUAGES, TourMap
from rpa.engine.machine import state_machine

MOVING = ["greeting", "navigating", "presenting", "returning"]
STATES = ["docked", *MOVING, "paused", "docking", "estopped", "fault"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "start", "source": "docked", "dest": "greeting"},
    {"trigger": "next_stop", "source": ["greeting", "navigating", "presenting"],
     "dest": "navigating"},
    {"trigger": "arrive", "source": "navigating", "dest": "presenting"},
    {"trigger": "go_home", "source": ["greeting", "navigating", "presenting", "paused"],
     "dest": "returning"},
    {"trigger": "at_dock", "source": "returning", "dest": "docking"},
    {"trigger": "docked", "source": "docking", "dest": "docked"},
    {"trigger": "pause", "source": MOVING, "dest": "paused"},
    *({"trigger": f"resume_{s}", "source": "paused", "dest": s} for s in MOVING),
    {"trigger": "estop", "source": "*", "dest": "estopped"},
    {"trigger": "reset", "source": "estopped", "dest": "paused"},
    {"trigger": "fail", "source": "*", "dest": "fault"},
]
TICK = 0.05
RESEND = 0.5  # seconds between position targets once the base is seen moving
RESEND_UNCONFIRMED = 0.05  # until then: a target is never acknowledged and may be lost
COMMAND_PATIENCE = 60.0  # seconds of failing commands, link up, before the tour faults


@dataclass(frozen=True)
class TourEvent:
    kind: str
    state: str
    data: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[TourEvent], None]


class _Phase:
    """What transitions moves; kept apart so its trigger methods do not crowd the controller."""

    state: str


@dataclass
class _Progress:
    index: int = -1  # the stop being approached or presented
    legs: list[Waypoint] = field(default_factory=list)
    dwell_until: float = 0.0
    blocked_since: float | None = None
    leg_started: float = 0.0
    last_goal: float = 0.0
    paused_from: str = ""
    pause_reason: str = ""
    low_battery: bool = False
    failing_since: float | None = None
    distance: float = 0.0
    last_xy: tuple[float, float] | None = None
    estops: int = 0
    link_losses: int = 0
    stops: list[dict[str, Any]] = field(default_factory=list)
    recorded: set[int] = field(default_factory=set)
    greeted: bool = False
    aborted: bool = False  # the tour ended where it was (the server is going away)


class TourController:
    def __init__(self, base: Base, tour_map: TourMap, tour: str, lang: str = "en",
                 records: TourRecords | None = None, dwell_scale: float = 1.0) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"language '{lang}' is not one of {', '.join(LANGUAGES)}")
        self.base, self.map, self.tour_name, self.lang = base, tour_map, tour, lang
        self.tour = tour_map.tour(tour)
        self.records, self.dwell_scale = records, dwell_scale
        self.phase = _Phase()
        state_machine(self.phase, STATES, TRANSITIONS, "docked",
                      after_state_change=self._announce)
        self.progress = _Progress()
        self.listeners: list[Listener] = []
        self.tour_id: str | None = None
        self._events: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self._started = 0.0
        self._battery_start: float | None = None
        base.link.on_state(lambda up: self.post("link_up" if up else "link_lost"))

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

    # -- the loop ------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        self._begin()
        while True:
            self._drain_events()
            if self.state in ("docked", "fault") or self.progress.aborted:
                break
            self._guarded_tick()
            time.sleep(TICK)
        return self._finish()

    def _begin(self) -> None:
        self._started = time.monotonic()
        self._battery_start = self.base.telemetry.battery_pct
        if self.records:
            self.tour_id = self.records.start(self.tour_name, self.map.map, self.lang,
                                              self._battery_start)
        self.phase.trigger("start")

    def _guarded_tick(self) -> None:
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
            self.emit("fault", error=str(exc))
            self.phase.trigger("fail")

    def _odometer(self) -> None:
        t, p = self.base.telemetry, self.progress
        if p.last_xy is not None:
            p.distance += math.hypot(t.x - p.last_xy[0], t.y - p.last_xy[1])
        p.last_xy = (t.x, t.y)
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
        self.base.hold()
        self.base.disarm()
        self.phase.trigger("docked")

    def _tick_waiting(self) -> None:
        """Paused: nothing moves until an event says so."""

    def _tick_estopped(self) -> None:
        if self.base.telemetry.armed:  # until the base confirms, keep forcing the disarm
            self.base.estop()

    # -- moving ------------------------------------------------------------------------------
    def _drive(self, on_arrival: Callable[[], None]) -> None:
        p, now = self.progress, time.monotonic()
        if not p.legs:
            return on_arrival()
        goal = p.legs[0]
        if self.base.arrived(goal.pose):
            p.legs.pop(0)
            return self._next_leg() if p.legs else on_arrival()
        if self._blocked(now) or now - p.leg_started > self.map.policies.stop_timeout:
            return self._give_up_leg()
        if now - p.last_goal >= (RESEND if self._moving() else RESEND_UNCONFIRMED):
            self._ensure_driving()
            self.base.goto(goal.pose.x, goal.pose.y, goal.pose.yaw)
            p.last_goal = now

    def _moving(self) -> bool:
        t = self.base.telemetry
        fresh = time.monotonic() - t.position_at < 1.0
        return fresh and t.mode == "GUIDED" and math.hypot(t.vx, t.vy) > 0.05

    def _ensure_driving(self) -> None:
        t = self.base.telemetry
        if t.mode != "GUIDED" or not t.armed:  # a failsafe HOLD, or the start of a leg
            self.base.start_driving()

    def _next_leg(self) -> None:
        p = self.progress
        p.last_goal = 0.0
        self.base.set_speed(p.legs[0].speed)

    def _blocked(self, now: float) -> bool:
        t, p = self.base.telemetry, self.progress
        close = t.obstacle_m is not None and t.obstacle_m < 0.7 and math.hypot(t.vx, t.vy) < 0.05
        if not close:
            p.blocked_since = None
            return False
        if p.blocked_since is None:
            p.blocked_since = now
            self.emit("obstacle", distance=t.obstacle_m)
        return now - p.blocked_since > self.map.policies.obstacle_wait

    def _give_up_leg(self) -> None:
        p = self.progress
        p.blocked_since = None
        if self.state == "returning":
            p.leg_started = time.monotonic()  # never give up going home; keep waiting
            return
        self.base.hold()
        self._record_stop("skipped", "blocked or too slow")
        self._advance()

    def _route_to(self, location: str) -> None:
        p = self.progress
        here = self._nearest_location()
        p.legs = plan(self.map, here, location, self.tour.speed) if here != location else []
        p.leg_started, p.blocked_since = time.monotonic(), None
        if p.legs:
            self._ensure_driving()
            self._next_leg()

    def _nearest_location(self) -> str:
        t = self.base.telemetry
        return min(self.map.locations,
                   key=lambda n: Pose(*self.map.locations[n].pose[:2]).distance(t.x, t.y))

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

    # -- events ----------------------------------------------------------------------------------
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
        self.emit("link_lost")
        if self.state in MOVING:
            self._pause("link")
            self._try_hold()  # the base holds on its own failsafe if this cannot get through

    def _on_link_up(self) -> None:
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
        p = self.progress
        p.paused_from, p.pause_reason = self.state, reason
        if self.state == "presenting":  # keep what is left of the dwell
            p.dwell_until -= time.monotonic()
        self.phase.trigger("pause")

    def _resume(self) -> None:
        p = self.progress
        if p.paused_from == "presenting":
            p.dwell_until += time.monotonic()
        p.last_goal, p.leg_started, p.blocked_since = 0.0, time.monotonic(), None
        self.phase.trigger(f"resume_{p.paused_from}")

    def _try_hold(self) -> None:
        with contextlib.suppress(CommandError, LinkError):
            self.base.link.command(mav.CMD_DO_SET_MODE, 1, mav.MODES["HOLD"], retries=1,
                                   timeout=0.2)

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

    def _on_estop(self) -> None:
        p = self.progress
        p.estops += 1
        if self.state in MOVING:
            p.paused_from = self.state
        self.phase.trigger("estop")
        self.base.estop()
        self.emit("estopped")

    def _on_abort(self) -> None:
        """End the tour where it is, the base holding: for a server shutting down, not visitors."""
        self._try_hold()
        self.progress.aborted = True
        self.emit("aborted")

    def _on_reset(self) -> None:
        if self.state == "estopped":
            self.progress.paused_from = self.progress.paused_from or "navigating"
            self.progress.pause_reason = "operator"
            self.phase.trigger("reset")

    # -- the end ---------------------------------------------------------------------------------
    def _finish(self) -> dict[str, Any]:
        p, t = self.progress, self.base.telemetry
        status = "aborted" if p.aborted else "completed" if self.state == "docked" else self.state
        summary = {
            "tour_id": self.tour_id, "tour": self.tour_name, "map": self.map.map,
            "lang": self.lang, "status": status, "stops": p.stops,
            "distance_m": round(p.distance, 2),
            "duration_s": round(time.monotonic() - self._started, 2), "estops": p.estops,
            "link_losses": p.link_losses, "battery_start": self._battery_start,
            "battery_end": t.battery_pct, "counters": self.base.link.stats(),
        }
        if self.records and self.tour_id:
            self.records.finish(self.tour_id, **{k: summary[k] for k in (
                "status", "distance_m", "duration_s", "estops", "link_losses", "battery_end",
                "counters")})
        self.emit("finished", summary=summary)
        return summary

    _TICKS: dict[str, Callable[[TourController], None]] = {
        "greeting": _tick_greeting, "navigating": _tick_navigating,
        "presenting": _tick_presenting, "returning": _tick_returning,
        "docking": _tick_docking, "paused": _tick_waiting, "estopped": _tick_estopped,
    }
    _EVENTS: dict[str, Callable[..., None]] = {
        "link_lost": _on_link_lost, "link_up": _on_link_up, "pause": _on_pause,
        "resume": _on_resume, "skip": _on_skip, "repeat": _on_repeat, "goto": _on_goto,
        "stop": _on_stop, "estop": _on_estop, "reset": _on_reset, "abort": _on_abort,
    }
