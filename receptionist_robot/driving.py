"""Moving along a route's legs, for the tour controller: targets resent until the base is
seen driving them, arrival by the steering's tolerance (or MISSION_ITEM_REACHED), each leg's
speed limit once the base takes it, obstacles, and stops too slow to reach.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from receptionist_robot.base import Base, Pose
from receptionist_robot.errors import CommandError
from receptionist_robot.routes import plan
from receptionist_robot.safety import SafetyConfig
from receptionist_robot.tour_state import (
    HEADING,
    RESEND,
    RESEND_UNCONFIRMED,
    SETTLE_MAX,
    Progress,
)

if TYPE_CHECKING:
    from receptionist_robot.tours import Tour, TourMap


class Driving:
    """Mixed into TourController: the moving part of its ticks."""

    base: Base
    map: TourMap
    tour: Tour
    progress: Progress
    tolerance: float
    safety: SafetyConfig

    def _drive(self, on_arrival: Callable[[], None]) -> None:
        p, now = self.progress, time.monotonic()
        if not p.legs:
            return on_arrival()
        goal = p.legs[0]
        if self._arrived(goal.pose):
            p.legs.pop(0)
            return self._next_leg() if p.legs else on_arrival()
        if self._blocked(now) or now - p.leg_started > self.map.policies.stop_timeout:
            return self._give_up_leg(on_arrival)
        if now - p.last_goal >= (RESEND if self.base.moving() else RESEND_UNCONFIRMED):
            self._ensure_driving()
            if not p.last_goal:  # the leg's first target: only arrivals after it are this leg's
                p.leg_arrivals = self.base.telemetry.arrivals
            self.base.goto(goal.pose.x, goal.pose.y, goal.pose.yaw)
            p.last_goal = now
        self._speed_when_taken()

    def _arrived(self, goal: Pose) -> bool:
        """Within the steering's tolerance; or, once the base said MISSION_ITEM_REACHED for
        this leg and stands still, within twice that (a car-like base may stop wide of a
        target it cannot turn onto, and would circle if sent it again). A base still moving
        is driving our new target: its MISSION_ITEM_REACHED was the last leg's, come late."""
        reached = self.base.telemetry.arrivals > self.progress.leg_arrivals and not self.base.moving()
        if not self.base.arrived(goal, self.tolerance * (2 if reached else 1)):
            self.progress.close_since = None
            return False
        return self._facing(goal)

    def _facing(self, goal: Pose) -> bool:
        """Still and within the steering's heading tolerance of a stop's yaw (by ATTITUDE);
        after SETTLE_MAX s close by it counts anyway: a base that does not turn is not stuck."""
        tolerance, heading = HEADING[self.safety.steering], self.base.heading()
        if goal.yaw is None or tolerance is None or heading is None:
            return True
        p, now = self.progress, time.monotonic()
        p.close_since = p.close_since or now
        error = abs(math.remainder(heading - goal.yaw, math.tau))
        return (error <= tolerance and not self.base.moving()) or now - p.close_since > SETTLE_MAX

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
        p.last_goal, p.speed_due, p.close_since = 0.0, True, None
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

    def _give_up_leg(self, on_arrival: Callable[[], None]) -> None:
        p = self.progress
        blocked, p.blocked_since = p.blocked_since is not None, None
        if self.state == "returning" and not blocked and len(p.legs) == 1:
            p.legs.clear()  # circling short of the dock it cannot turn onto: dock where it is,
            self.base.hold()  # and docking says how far off that is
            return on_arrival()
        if self.state == "returning":
            p.leg_started = time.monotonic()  # never give up going home past an obstacle; wait
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
