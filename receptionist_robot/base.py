"""The mobile base as ArduPilot Rover sees it: modes, arming, position targets, status.

`goto` sends SET_POSITION_TARGET_LOCAL_NED, which the base never acknowledges, so motion is
confirmed by watching the position; `drive_to` keeps resending the target until the base
arrives, which also rides out a noisy line and a failsafe HOLD once the link is back.
Every mode and arming command goes through the `Guard` (safety.py), which trips on a
heartbeat showing what we did not command; a tripped guard refuses to arm until `reset`.
Poses given to and read from the base are in the tour map's frame (`Frame`).
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from receptionist_robot import mav
from receptionist_robot.errors import (
    BaseNotReady,
    CommandError,
    CommandRejected,
    LinkError,
    NavigationError,
    SafetyStop,
)
from receptionist_robot.link import Link, LinkConfig
from receptionist_robot.params import Params
from receptionist_robot.protocol import Message
from receptionist_robot.safety import Guard
from receptionist_robot.telemetry import Telemetry

ARRIVAL_TOLERANCE = 0.5  # metres; the base stops 0.2-0.3 m short of a target
ARM_INTERVAL = 1.0  # seconds: at most one arming attempt a second, however often asked
MOVING = 0.05  # m/s
# Hz we ask for; a quick position stream also keeps a noisy link provably alive, and SYS_STATUS
# (pre-arm and battery) above the firmware's 1 Hz gets a long frame through a bad line sooner
TELEMETRY_RATES = {"LOCAL_POSITION_NED": 20.0, "SYS_STATUS": 5.0, "DISTANCE_SENSOR": 5.0,
                   "ATTITUDE": 10.0}
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Pose:
    x: float
    y: float
    yaw: float | None = None

    def distance(self, x: float, y: float) -> float:
        return math.hypot(self.x - x, self.y - y)


@dataclass(frozen=True)
class Frame:
    """The tour map's origin (the dock) in the base's LOCAL_NED frame: north, east, yaw."""

    north: float = 0.0
    east: float = 0.0
    yaw: float = 0.0

    def to_base(self, x: float, y: float) -> tuple[float, float]:
        c, s = math.cos(self.yaw), math.sin(self.yaw)
        return self.north + c * x - s * y, self.east + s * x + c * y

    def to_map(self, north: float, east: float) -> tuple[float, float]:
        c, s, dn, de = math.cos(self.yaw), math.sin(self.yaw), north - self.north, east - self.east
        return c * dn + s * de, -s * dn + c * de


class Base:
    def __init__(self, link: Link, clock: Callable[[], float] = time.monotonic) -> None:
        self.link, self.clock = link, clock
        self.telemetry = Telemetry()
        self.guard = Guard()
        self.params = Params(link)
        self.frame = Frame()
        self.guided_entries = 0  # times we put the base into GUIDED
        self.takes_speed = False  # GUIDED and driving a target of ours: DO_CHANGE_SPEED works
        self._target_sent = False
        self._arm_tried = -math.inf
        self._arm_refusal: CommandError | None = None
        link.subscribe(self.telemetry.update)
        link.subscribe(self._watch)

    @classmethod
    def connect(cls, url: str, timeout: float = 30.0, ready: bool = True,
                progress: Progress | None = None, **config: object) -> Base:
        """Open the line and wait for the heartbeat and, if `ready`, for readiness to arm."""
        base = cls(Link(LinkConfig(url, **config)).open())  # type: ignore[arg-type]
        try:
            base.wait_ready(timeout, progress) if ready else base.link.wait_up(timeout)
        except Exception:
            base.close()
            raise
        return base

    def close(self) -> None:
        self.link.close()

    # -- readiness -----------------------------------------------------------------------
    def wait_ready(self, timeout: float, progress: Progress | None = None) -> None:
        """Heartbeat, then position flowing and pre-arm passing; a line a second meanwhile."""
        started = time.monotonic()
        self.link.wait_up(timeout)
        self._request_rates()
        while (missing := self.missing()) is not None:
            waited = time.monotonic() - started
            if waited > timeout:
                raise BaseNotReady(f"the base was not ready after {timeout:g} s: {missing}"
                                   f"{self._last_text()}")
            if progress is not None:
                progress(f"waiting for the base: {missing} ({waited:.0f} s of {timeout:g})")
            self.wait_until(lambda t: self.missing() is None, 1.0)

    def missing(self) -> str | None:
        """What keeps the base from being ready to arm and drive, or None."""
        t = self.telemetry
        checks = (
            (not self.link.is_up, "no heartbeat"),
            (t.mode in ("UNKNOWN", "INITIALISING"), "still initialising"),
            (not t.position_fresh(), "no position estimate yet (LOCAL_POSITION_NED)"),
            (t.prearm_ok is False, "pre-arm checks failing"),
        )
        return next((why for bad, why in checks if bad), None)

    def _last_text(self) -> str:
        texts = self.telemetry.texts
        return f"; last message: {texts[-1]}" if texts else ""

    def _request_rates(self) -> None:
        for name, hz in TELEMETRY_RATES.items():
            msg_id = getattr(mav.mavlink, f"MAVLINK_MSG_ID_{name}")
            for _ in range(5):  # a noisy line needs persistence; slower telemetry still works
                with contextlib.suppress(CommandError):
                    self.link.command(mav.CMD_SET_MESSAGE_INTERVAL, msg_id, 1e6 / hz)
                    break

    # -- commands ----------------------------------------------------------------------
    # An accepted command updates what we believe at once: the next heartbeat may be
    # seconds away on a noisy line, and acting on the stale one would resend the command.
    def arm(self) -> None:
        """Arm, unless the guard is tripped; after a failed attempt the next one waits a
        second, however often asked (a tour asks every tick until the base is ready)."""
        if self.guard.tripped:
            raise SafetyStop(f"not arming: {self.guard.tripped}; an operator must reset",
                             mav.CMD_ARM_DISARM)
        if self._arm_refusal is not None and self.clock() - self._arm_tried < ARM_INTERVAL:
            raise self._arm_refusal
        self._arm_tried, self._arm_refusal = self.clock(), None
        try:
            with self.guard.commanding("armed", True):
                self.link.command(mav.CMD_ARM_DISARM, 1)
        except CommandRejected as exc:
            self._arm_refusal = CommandRejected(f"{exc}{self._last_text()}", exc.command,
                                                exc.result)
            raise self._arm_refusal from exc
        except CommandError as exc:
            self._arm_refusal = exc
            raise
        self.telemetry.armed = True

    def disarm(self) -> None:
        with self.guard.commanding("armed", False):
            self.link.command(mav.CMD_ARM_DISARM, 0)
        self.telemetry.armed = False

    def estop(self) -> None:
        """Force a disarm: the motors stop whatever the mode and whatever the checks."""
        with self.guard.commanding("armed", False):
            self.link.command(mav.CMD_ARM_DISARM, 0, mav.FORCE_DISARM)
        self.telemetry.armed = False

    def reset(self) -> None:
        """An operator's reset after a stop: arming is allowed again."""
        self.guard.reset()

    def set_mode(self, name: str, **retry: float) -> None:
        if name not in mav.MODES:
            raise ValueError(f"unknown mode '{name}' (known: {', '.join(mav.MODES)})")
        entering = name == "GUIDED" and self.telemetry.mode != "GUIDED"
        with self.guard.commanding("modes", name):
            self.link.command(mav.CMD_DO_SET_MODE, 1, mav.MODES[name], **retry)  # type: ignore[arg-type]
        self.telemetry.mode = name
        if entering:
            self.guided_entries += 1
            self._target_sent = self.takes_speed = False

    def set_speed(self, metres_per_second: float) -> None:
        """DO_CHANGE_SPEED: real firmware takes it in GUIDED only once a target is driven to."""
        self.link.command(mav.CMD_DO_CHANGE_SPEED, mav.SPEED_GROUND, metres_per_second, -1)

    def set_cruise(self, metres_per_second: float) -> None:
        """WP_SPEED, the speed GUIDED drives at until told otherwise; read back to be sure."""
        self.params.set("WP_SPEED", metres_per_second)

    def hold(self, **retry: float) -> None:
        self.set_mode("HOLD", **retry)

    def goto(self, x: float, y: float, yaw: float | None = None) -> None:
        """One position target in the map's frame; ignored by the base unless GUIDED."""
        north, east = self.frame.to_base(x, y)
        heading = None if yaw is None else yaw + self.frame.yaw
        self.link.send(mav.position_target(self.link.config.target, north, east, heading))
        self._target_sent = self._target_sent or self.telemetry.mode == "GUIDED"

    def _watch(self, msg: Message) -> None:
        kind = msg.get_type()
        if kind == "HEARTBEAT":
            mode = mav.mode_name(msg.custom_mode)
            self.guard.observe(mode, mav.is_armed(msg))
            if mode != "GUIDED":
                self._target_sent = self.takes_speed = False
        elif kind == "LOCAL_POSITION_NED" and self._target_sent and self.moving():
            self.takes_speed = True

    # -- watching ----------------------------------------------------------------------
    def status(self) -> dict[str, object]:
        return {"link_up": self.link.is_up, **self.telemetry.snapshot(), **self.link.stats()}

    def position(self) -> Pose:
        x, y = self.frame.to_map(self.telemetry.x, self.telemetry.y)
        return Pose(x, y)

    def heading(self) -> float | None:
        """Yaw in the map's frame (radians from its x axis), from ATTITUDE; None if not sent."""
        yaw = self.telemetry.yaw
        return None if yaw is None else math.remainder(yaw - self.frame.yaw, math.tau)

    def moving(self) -> bool:
        t = self.telemetry
        return t.mode == "GUIDED" and t.position_fresh() and math.hypot(t.vx, t.vy) > MOVING

    def wait_until(self, check: Callable[[Telemetry], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not check(self.telemetry):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def arrived(self, goal: Pose, tolerance: float = ARRIVAL_TOLERANCE) -> bool:
        here = self.position()
        return goal.distance(here.x, here.y) <= tolerance

    def start_driving(self) -> None:
        """Armed and GUIDED, each only if not already so (a failsafe may have put it in HOLD).
        A disarmed base is armed in HOLD and then put in GUIDED, which starts it at a stopping
        point: the firmware keeps an old target through a disarm and would drive on to it."""
        if not self.telemetry.armed:
            if self.telemetry.mode == "GUIDED":
                self.hold()
            self.arm()
        if self.telemetry.mode != "GUIDED":
            self.set_mode("GUIDED")

    def drive_to(self, goal: Pose, timeout: float = 120.0, resend: float = 0.5) -> None:
        """Drive to `goal` and return on arrival; for scripts and the CLI, not the tour."""
        self.start_driving()
        deadline = time.monotonic() + timeout
        while not self.arrived(goal):
            if time.monotonic() > deadline:
                where = f"({goal.x:.1f}, {goal.y:.1f})"
                raise NavigationError(f"did not reach {where} in {timeout:g} s")
            self._send_goal(goal)
            self.wait_until(lambda t: self.arrived(goal), resend)

    def _send_goal(self, goal: Pose) -> None:
        with contextlib.suppress(LinkError):  # reconnecting; the next resend will go out
            self.goto(goal.x, goal.y, goal.yaw)

    def dock(self, dock: Pose, timeout: float = 120.0) -> None:
        """Drive onto the dock, hold there and disarm."""
        self.drive_to(dock, timeout)
        self.hold()
        self.disarm()
