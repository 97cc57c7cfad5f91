"""The last half metre: onto the dock within the map's `dock_tolerance`, or say how far off.

A GUIDED base stops 0.2-0.3 m short of its target, so arriving "at" the dock leaves it that
far off. Once the base is still, a skid-steer base is sent a target past the dock by the gap
it fell short, along the line it came in on, so it stops on the dock; at most `MAX_TRIES`
times. A car-like base cannot creep sideways or turn on the spot: a target that close would
have it circling, so it is held where it arrived, not corrected, and the offset is reported.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from receptionist_robot.base import MOVING, Base, Pose
from receptionist_robot.tours import TourMap

MAX_TRIES = 3
SETTLE = 0.5  # seconds after a correction before the base's stillness counts


class Docking:
    def __init__(self, base: Base, tour_map: TourMap, steering: str,
                 clock: Callable[[], float] = time.monotonic) -> None:
        x, y, _ = tour_map.locations[tour_map.dock].pose
        self.base, self.dock, self.steering, self.clock = base, Pose(x, y), steering, clock
        self.tolerance = tour_map.policies.dock_tolerance
        self.tries = 0
        self.offset: float | None = None
        self._sent_at: float | None = None
        self._held = False

    def gap(self) -> float:
        here = self.base.position()
        return self.dock.distance(here.x, here.y)

    def settle(self) -> bool:
        """True once nothing more can bring the base closer; sends the corrections meanwhile."""
        if self.steering != "skid_steer" and not self._held:
            self.base.hold()  # GUIDED keeps driving at the dock: a car-like base inside its
            self._held = True  # turning circle would circle it for ever
        if self.base.moving() or self._settling() or (self._held and self._rolling()):
            return False
        gap = self.gap()
        if gap <= self.tolerance or self.tries >= MAX_TRIES or self.steering != "skid_steer":
            return True
        self._aim_past(gap)
        return False

    def finish(self) -> float:
        """Hold and disarm where it is; returns how far from the dock that is."""
        self.offset = round(self.gap(), 3)
        self.base.hold()
        self.base.disarm()
        self.tries, self._held, self._sent_at = 0, False, None  # ready for the next tour's dock
        return self.offset

    def _rolling(self) -> bool:
        """Still coasting after the HOLD: the gap is measured once it stands."""
        t = self.base.telemetry
        return t.position_fresh() and math.hypot(t.vx, t.vy) > MOVING

    def _settling(self) -> bool:
        return self._sent_at is not None and self.clock() - self._sent_at < SETTLE

    def _aim_past(self, gap: float) -> None:
        here = self.base.position()
        ux, uy = (self.dock.x - here.x) / gap, (self.dock.y - here.y) / gap
        self.base.start_driving()
        self.base.goto(self.dock.x + ux * gap, self.dock.y + uy * gap)
        self.tries += 1
        self._sent_at = self.clock()
