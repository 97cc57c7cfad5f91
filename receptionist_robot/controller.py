"""The tour controller: a state machine over the base, fed by events, ticking a few times a second.

    docked -> greeting -> navigating <-> presenting -> returning -> docking -> docked
                  any moving state -> paused (operator, or link lost) -> back where it was
                  any state -> estopped (e-stop; held until an operator resets) -> paused
                  any state -> fault (commands keep failing with the link up)

Events come from the base (arrival, obstacle, battery, link, and a disarm or mode change
nobody here commanded, which is an e-stop), from the dialogue and the operators (`post`:
pause, resume, skip, repeat, goto, stop, estop, reset; abort, when the server or the CLI
goes away, ends the tour where it is) and from timers (dwell). Presentations go out as
events with the text in every language; the kiosk and the dialogue layer speak them. Every
tour is recorded in the store as it happens, with the reason it ended and what the base
was left in: a tour that does not end on the dock leaves the base in HOLD, disarmed once
still or after `SafetyConfig.disarm_after` seconds (safety.make_safe).

Speed: WP_SPEED (read back) is set to the slowest cap before moving, so GUIDED never drives
faster than any cap; DO_CHANGE_SPEED follows per leg, once the base is driving a target (real
firmware refuses it before), and again after every entry into GUIDED and every link recovery.
"""

from __future__ import annotations

import contextlib
import math
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from receptionist_robot.base import Base, Frame, Pose
from receptionist_robot.docking import Docking
from receptionist_robot.errors import CommandError, LinkError, ParameterError, UnsafeBase
from receptionist_robot.routes import Waypoint, plan
from receptionist_robot.safety import SafetyConfig, check_failsafe, make_safe
from receptionist_robot.store import TourRecords
from receptionist_robot.tours import LANGUAGES, TourMap
from rpa.engine.machine import state_machine

MOVING = ["greeting", "navigating", "presenting", "returning"]
STATES = ["docked", *MOVING, "paused", "docking", "estopped", "fault", "refused"]
ENDS = ("docked", "fault", "refused")
ARRIVAL = {"skid_steer": 0.5, "car_like": 1.2}  # metres; the base stops 0.2-0.3 m short
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "start", "source": "docked", "dest": "greeting"},
    {"trigger": "next_stop", "source": ["greeting", "navigating", "presenting"],
     "dest": "navigating"},
    {"trigger": "arrive", "source": "navigating", "dest": "presenting"},
    {"trigger": "go_home", "source": ["greeting", "navigating", "presenting", "paused"],
     "dest": "returning"},
    {"trigger": "at_dock", "source": "returning", "dest": "docking"},
    {"trigger": "docked", "source": "docking", "dest": "docked"},
    {"trigger": "refuse", "source": "docked", "dest": "refused"},
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
    reason: str | None = None  # why it ended, when not completed
    estop_reasons: list[str] = field(default_factory=list)
    speed_due: bool = False  # the leg's DO_CHANGE_SPEED is still to send
    speed_entries: int = 0  # the base's GUIDED entries when the speed was last sent
    warned: set[str] = field(default_factory=set)
    leg_arrivals: int = 0  # the base's MISSION_ITEM_REACHED count when the leg began


class TourController:
    def __init__(self, base: Base, tour_map: TourMap, tour: str, lang: str = "en",
                 records: TourRecords | None = None, dwell_scale: float = 1.0,
                 safety: SafetyConfig | None = None) -> None:
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
            self.base.set_cruise(min(caps))
        except (ParameterError, LinkError) as exc:
            self._speed_refused(f"WP_SPEED: {exc}")

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

    # -- moving ------------------------------------------------------------------------------
    def _drive(self, on_arrival: Callable[[], None]) -> None:
        p, now = self.progress, time.monotonic()
        if not p.legs:
            return on_arrival()
        goal = p.legs[0]
        if self._arrived(goal.pose):
            p.legs.pop(0)
            return self._next_leg() if p.legs else on_arrival()
        if self._blocked(now) or now - p.leg_started > self.map.policies.stop_timeout:
            return self._give_up_leg()
        if now - p.last_goal >= (RESEND if self.base.moving() else RESEND_UNCONFIRMED):
            self._ensure_driving()
            self.base.goto(goal.pose.x, goal.pose.y, goal.pose.yaw)
            p.last_goal = now
        self._speed_when_taken()

    def _arrived(self, goal: Pose) -> bool:
        """Within the steering's tolerance; or, once the base said MISSION_ITEM_REACHED for
        this leg, within twice that (a car-like base may stop wide of a target it cannot
        turn onto, and would circle if sent it again)."""
        reached = self.base.telemetry.arrivals > self.progress.leg_arrivals
        return self.base.arrived(goal, self.tolerance * (2 if reached else 1))

    def _speed_when_taken(self) -> None:
        p = self.progress
        if p.speed_entries != self.base.guided_entries:
            p.speed_due = True  # a new entry into GUIDED starts at WP_SPEED again
        if p.speed_due and self.base.takes_speed and p.legs:
            self._send_speed()

    def _send_speed(self) -> None:
        p = self.progress
        p.speed_due, p.speed_entries = False, self.base.guided_entries
        try:
            self.base.set_speed(p.legs[0].speed)
        except CommandError as exc:  # refused, or no answer: the cruise speed still caps it
            self._speed_refused(str(exc))

    def _ensure_driving(self) -> None:
        t = self.base.telemetry
        if t.mode != "GUIDED" or not t.armed:  # a failsafe HOLD, or the start of a leg
            self.base.start_driving()

    def _next_leg(self) -> None:
        """Speed first if the base already takes it (a slower leg is never begun fast);
        otherwise it goes once the first target is being driven to."""
        p = self.progress
        p.last_goal, p.speed_due = 0.0, True
        p.leg_arrivals = self.base.telemetry.arrivals
        if self.base.takes_speed:
            self._send_speed()

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
        t = self.base.position()
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

    # -- the end ---------------------------------------------------------------------------------
    def _finish(self) -> dict[str, Any]:
        p, t = self.progress, self.base.telemetry
        status = "aborted" if p.aborted else "completed" if self.state == "docked" else self.state
        base_state = self._leave_base(status)
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
            "base_state": base_state,
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
    _EVENTS: dict[str, Callable[..., None]] = {
        "link_lost": _on_link_lost, "link_up": _on_link_up, "pause": _on_pause,
        "resume": _on_resume, "skip": _on_skip, "repeat": _on_repeat, "goto": _on_goto,
        "stop": _on_stop, "estop": _on_estop, "reset": _on_reset, "abort": _on_abort,
    }
