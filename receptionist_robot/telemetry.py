"""What the base last told us, kept up to date from the link's messages by a table.

Pose from LOCAL_POSITION_NED, battery from SYS_STATUS / BATTERY_STATUS, mode and armed from
HEARTBEAT, obstacles from DISTANCE_SENSOR, warnings from STATUSTEXT, arrivals from
MISSION_ITEM_REACHED, whether pre-arm checks pass from SYS_STATUS's health bits.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from receptionist_robot import mav
from receptionist_robot.protocol import Message


@dataclass
class Telemetry:
    mode: str = "UNKNOWN"
    armed: bool = False
    x: float = 0.0
    y: float = 0.0
    vx: float = 0.0
    vy: float = 0.0
    has_position: bool = False
    battery_pct: float | None = None
    voltage: float | None = None
    obstacle_m: float | None = None
    arrivals: int = 0
    position_at: float = 0.0
    prearm_ok: bool | None = None  # None: the base does not report it
    yaw: float | None = None  # radians from north, from ATTITUDE
    texts: deque[str] = field(default_factory=lambda: deque(maxlen=20))

    def update(self, msg: Message) -> None:
        handler = self._HANDLERS.get(msg.get_type())
        if handler is not None:
            handler(self, msg)

    def _heartbeat(self, msg: Message) -> None:
        self.mode, self.armed = mav.mode_name(msg.custom_mode), mav.is_armed(msg)

    def _local_position(self, msg: Message) -> None:
        self.x, self.y, self.vx, self.vy = msg.x, msg.y, msg.vx, msg.vy
        self.has_position, self.position_at = True, time.monotonic()

    def position_fresh(self, within: float = 1.0) -> bool:
        return self.has_position and time.monotonic() - self.position_at < within

    def _attitude(self, msg: Message) -> None:
        self.yaw = msg.yaw

    def _sys_status(self, msg: Message) -> None:
        if msg.onboard_control_sensors_present & mav.PREARM_CHECK:
            self.prearm_ok = bool(msg.onboard_control_sensors_health & mav.PREARM_CHECK)
        if msg.battery_remaining >= 0:
            self.battery_pct = float(msg.battery_remaining)
        if msg.voltage_battery != 0xFFFF:
            self.voltage = msg.voltage_battery / 1000

    def _battery_status(self, msg: Message) -> None:
        if msg.battery_remaining >= 0:
            self.battery_pct = float(msg.battery_remaining)

    def _distance(self, msg: Message) -> None:
        self.obstacle_m = msg.current_distance / 100

    def _text(self, msg: Message) -> None:
        text = msg.text
        self.texts.append(text.decode(errors="replace") if isinstance(text, bytes) else text)

    def _reached(self, msg: Message) -> None:
        self.arrivals += 1

    def snapshot(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "texts"}
        return {**data, "last_text": self.texts[-1] if self.texts else None}

    _HANDLERS: ClassVar[dict[str, Callable[[Telemetry, Message], None]]] = {
        "HEARTBEAT": _heartbeat, "LOCAL_POSITION_NED": _local_position,
        "SYS_STATUS": _sys_status, "BATTERY_STATUS": _battery_status,
        "DISTANCE_SENSOR": _distance, "STATUSTEXT": _text, "MISSION_ITEM_REACHED": _reached,
        "ATTITUDE": _attitude,
    }
