"""The mobile base as ArduPilot Rover sees it: modes, arming, position targets, status.

`goto` sends SET_POSITION_TARGET_LOCAL_NED, which the base never acknowledges, so motion is
confirmed by watching the position; `drive_to` keeps resending the target until the base
arrives, which also rides out a noisy line and a failsafe HOLD once the link is back.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from receptionist_robot import mav
from receptionist_robot.errors import BaseNotReady, CommandError, LinkError, NavigationError
from receptionist_robot.link import Link, LinkConfig
from receptionist_robot.telemetry import Telemetry

ARRIVAL_TOLERANCE = 0.5  # metres; the base stops 0.2-0.3 m short of a target
# Hz we ask for; a quick position stream also keeps a noisy link provably alive
TELEMETRY_RATES = {"LOCAL_POSITION_NED": 20.0, "DISTANCE_SENSOR": 5.0}


@dataclass(frozen=True)
class Pose:
    x: float
    y: float
    yaw: float | None = None

    def distance(self, x: float, y: float) -> float:
        return math.hypot(self.x - x, self.y - y)


class Base:
    def __init__(self, link: Link) -> None:
        self.link = link
        self.telemetry = Telemetry()
        self.speed: float | None = None  # as last accepted by the base
        link.subscribe(self.telemetry.update)

    @classmethod
    def connect(cls, url: str, timeout: float = 30.0, **config: object) -> Base:
        """Open the line and wait for the base's heartbeat and position estimate."""
        base = cls(Link(LinkConfig(url, **config)).open())  # type: ignore[arg-type]
        try:
            base.wait_ready(timeout)
        except Exception:
            base.close()
            raise
        return base

    def close(self) -> None:
        self.link.close()

    def wait_ready(self, timeout: float) -> None:
        self.link.wait_up(timeout)
        self._request_rates()
        if not self.wait_until(lambda t: t.has_position and t.mode != "INITIALISING", timeout):
            raise BaseNotReady("the base has no position estimate yet (LOCAL_POSITION_NED)")

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
        self.link.command(mav.CMD_ARM_DISARM, 1)
        self.telemetry.armed = True

    def disarm(self) -> None:
        self.link.command(mav.CMD_ARM_DISARM, 0)
        self.telemetry.armed = False

    def estop(self) -> None:
        """Force a disarm: the motors stop whatever the mode and whatever the checks."""
        self.link.command(mav.CMD_ARM_DISARM, 0, mav.FORCE_DISARM)
        self.telemetry.armed = False

    def set_mode(self, name: str) -> None:
        if name not in mav.MODES:
            raise ValueError(f"unknown mode '{name}' (known: {', '.join(mav.MODES)})")
        self.link.command(mav.CMD_DO_SET_MODE, 1, mav.MODES[name])
        self.telemetry.mode = name

    def set_speed(self, metres_per_second: float) -> None:
        if self.speed == metres_per_second:
            return
        self.link.command(mav.CMD_DO_CHANGE_SPEED, 1, metres_per_second, -1)
        self.speed = metres_per_second

    def hold(self) -> None:
        self.set_mode("HOLD")

    def goto(self, x: float, y: float, yaw: float | None = None) -> None:
        """One position target; ignored by the base unless GUIDED, armed and localised."""
        self.link.send(mav.position_target(self.link.config.target, x, y, yaw))

    # -- watching ----------------------------------------------------------------------
    def status(self) -> dict[str, object]:
        return {"link_up": self.link.is_up, **self.telemetry.snapshot(), **self.link.stats()}

    def wait_until(self, check: Callable[[Telemetry], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not check(self.telemetry):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def arrived(self, goal: Pose) -> bool:
        t = self.telemetry
        return goal.distance(t.x, t.y) <= ARRIVAL_TOLERANCE

    def start_driving(self) -> None:
        """GUIDED and armed, each only if not already so (a failsafe may have put it in HOLD)."""
        if self.telemetry.mode != "GUIDED":
            self.set_mode("GUIDED")
        if not self.telemetry.armed:
            self.arm()

    def drive_to(self, goal: Pose, timeout: float = 120.0, resend: float = 0.5) -> None:
        """Drive to `goal` and return on arrival; for scripts and the CLI, not the tour."""
        self.start_driving()
        deadline = time.monotonic() + timeout
        while not self.arrived(goal):
            if time.monotonic() > deadline:
                where = f"({goal.x:.1f}, {goal.y:.1f})"
                raise NavigationError(f"did not reach {where} in {timeout:g} s")
            self._send_goal(goal)
            self.wait_until(self.arrived_at(goal), resend)

    def arrived_at(self, goal: Pose) -> Callable[[Telemetry], bool]:
        return lambda t: goal.distance(t.x, t.y) <= ARRIVAL_TOLERANCE

    def _send_goal(self, goal: Pose) -> None:
        with contextlib.suppress(LinkError):  # reconnecting; the next resend will go out
            self.goto(goal.x, goal.y, goal.yaw)

    def dock(self, dock: Pose, timeout: float = 120.0) -> None:
        """Drive onto the dock, hold there and disarm."""
        self.drive_to(dock, timeout)
        self.hold()
        self.disarm()
