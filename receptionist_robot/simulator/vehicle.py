"""The rover's body: kinematics with a speed limit, battery drain and scripted obstacles.

Pure and clocked by the caller (`step(dt)`), so it is tested with plain numbers. Like
ArduPilot Rover in GUIDED, it drives at the position target and stops about
`ARRIVE_RADIUS` short of it. A skid-steer body turns on the spot, so it drives straight at
the target and then turns to the requested yaw; a car-like body only turns while moving,
at most `speed / turn_radius` rad/s, so a target inside its turning circle has it circling
(as a real car-like rover does) and it keeps the heading it arrived with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

ARRIVE_RADIUS = 0.25  # metres; ArduPilot stops 0.2-0.3 m from the target
ROBOT_RADIUS = 0.3  # metres kept clear of an obstacle's edge
SENSOR_RANGE = 4.0  # metres a DISTANCE_SENSOR reports up to
MAX_STEP = 0.05  # simulated seconds integrated at once: a high time scale or a late tick
#                  never jumps an obstacle, overshoots a turn or reports a stale speed


@dataclass(frozen=True)
class Obstacle:
    """A circle that blocks the way while `start <= t < end` (simulated seconds)."""

    x: float
    y: float
    radius: float = 0.3
    start: float = 0.0
    end: float = math.inf

    def active(self, t: float) -> bool:
        return self.start <= t < self.end

    def clearance(self, x: float, y: float) -> float:
        return math.hypot(self.x - x, self.y - y) - self.radius


@dataclass
class Vehicle:
    x: float = 0.0
    y: float = 0.0
    yaw: float = 0.0
    speed_limit: float = 1.8
    battery: float = 100.0  # percent
    drain_per_m: float = 0.2
    drain_per_s: float = 0.005
    obstacles: list[Obstacle] = field(default_factory=list)
    time: float = 0.0
    odometer: float = 0.0
    target: tuple[float, float, float | None] | None = None
    vx: float = 0.0
    vy: float = 0.0
    blocked: bool = False
    commanded_speed: float | None = None  # DO_CHANGE_SPEED; never above the limit
    cruise_speed: float | None = None  # WP_SPEED: GUIDED's speed until DO_CHANGE_SPEED
    steering: str = "skid_steer"  # or "car_like"
    turn_radius: float = 1.0  # metres, car-like only

    @property
    def speed(self) -> float:
        wanted = self.commanded_speed or self.cruise_speed or self.speed_limit
        return min(wanted, self.speed_limit)

    def step(self, dt: float, moving: bool) -> bool:
        """Advance `dt` simulated seconds in slices of at most MAX_STEP; True when the
        target was reached in this step."""
        slices = max(1, math.ceil(dt / MAX_STEP - 1e-9))
        reached = [self._slice(dt / slices, moving) for _ in range(slices)]
        return any(reached)

    def _slice(self, dt: float, moving: bool) -> bool:
        self.time += dt
        self.battery = max(0.0, self.battery - self.drain_per_s * dt)
        self.vx = self.vy = 0.0
        self.blocked = False
        if not moving or self.target is None:
            return False
        return self._drive(dt)

    def _drive(self, dt: float) -> bool:
        tx, ty, tyaw = self.target  # type: ignore[misc]
        gap = math.hypot(tx - self.x, ty - self.y)
        remaining = gap - ARRIVE_RADIUS
        if remaining <= 0:
            return self._arrive(tyaw)
        stride = min(self.speed * dt, remaining)
        nx, ny = self._stride(tx, ty, gap, stride, dt)
        if self._obstructed(nx, ny):
            self.blocked = True
            return False
        self._move_to(nx, ny, dt)
        there = stride >= remaining if self.steering != "car_like" else \
            math.hypot(tx - self.x, ty - self.y) <= ARRIVE_RADIUS
        return there and self._arrive(tyaw)

    def _stride(self, tx: float, ty: float, gap: float, stride: float,
                dt: float) -> tuple[float, float]:
        if self.steering != "car_like":
            return self.x + (tx - self.x) / gap * stride, self.y + (ty - self.y) / gap * stride
        bearing = math.atan2(ty - self.y, tx - self.x)
        error = math.remainder(bearing - self.yaw, math.tau)
        turn = self.speed * dt / self.turn_radius
        self.yaw += max(-turn, min(turn, error))
        return self.x + math.cos(self.yaw) * stride, self.y + math.sin(self.yaw) * stride

    def _move_to(self, nx: float, ny: float, dt: float) -> None:
        dist = math.hypot(nx - self.x, ny - self.y)
        self.vx, self.vy = (nx - self.x) / dt, (ny - self.y) / dt
        if self.steering != "car_like":
            self.yaw = math.atan2(ny - self.y, nx - self.x)
        self.x, self.y = nx, ny
        self.odometer += dist
        self.battery = max(0.0, self.battery - self.drain_per_m * dist)

    def _arrive(self, yaw: float | None) -> bool:
        if yaw is not None and self.steering != "car_like":
            self.yaw = yaw
        self.target = None
        return True

    def _obstructed(self, x: float, y: float) -> bool:
        return any(o.active(self.time) and o.clearance(x, y) < ROBOT_RADIUS for o in self.obstacles)

    def obstacle_distance(self) -> float:
        """Distance to the nearest active obstacle's edge, capped at the sensor's range."""
        near = [o.clearance(self.x, self.y) for o in self.obstacles if o.active(self.time)]
        return max(0.0, min([SENSOR_RANGE, *near]))
