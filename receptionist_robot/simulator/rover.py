"""A MAVLink v2 rover base that behaves like ArduPilot Rover over a serial line.

It follows the firmware's rules in ROBOT_LINK.md (the table in docs/robot.md, one
conformance test per row): COMMAND_LONG answered by COMMAND_ACK (set mode, arm/disarm with
force, change speed, message intervals); arming refused with a PreArm STATUSTEXT until the
position estimate is ready; DO_CHANGE_SPEED refused unless the mode can take a speed (in
GUIDED only once a position target is being driven to); SET_POSITION_TARGET_LOCAL_NED
ignored outside GUIDED or without an origin; entering GUIDED stops at a stopping point and
drives at WP_SPEED; MISSION_ITEM_REACHED on arrival; the parameter protocol
(PARAM_REQUEST_READ / PARAM_SET answered by PARAM_VALUE); the GCS failsafe only when
FS_GCS_ENABLE is set, off by default as shipped. It streams HEARTBEAT, SYS_STATUS (with the
pre-arm health bit), BATTERY_STATUS, GLOBAL_POSITION_INT, LOCAL_POSITION_NED (once its
origin is set) and DISTANCE_SENSOR. Every command it receives is logged with what it did.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pymavlink.dialects.v20 import ardupilotmega as mavlink

from receptionist_robot import mav
from receptionist_robot.protocol import Codec, Message
from receptionist_robot.simulator.faults import Faults
from receptionist_robot.simulator.vehicle import Vehicle

ACCEL_IGNORE = 0x1C0  # ArduPilot rejects a position target that does not ignore accelerations
DEFAULT_RATES = {  # message -> Hz, changed by SET_MESSAGE_INTERVAL like the real firmware
    "HEARTBEAT": 1.0, "SYS_STATUS": 1.0, "BATTERY_STATUS": 1.0, "GLOBAL_POSITION_INT": 1.0,
    "LOCAL_POSITION_NED": 1.0, "DISTANCE_SENSOR": 1.0, "ATTITUDE": 1.0,
}
GCS_SYSTEM_ID = 255
OUTSIDE_SYSTEM_ID = 254  # another ground station or an RC transmitter, for fault injection
DEFAULT_PARAMS = {  # as ArduPilot Rover ships them; FS_GCS_TIMEOUT comes from SimConfig
    "FS_GCS_ENABLE": 0.0, "FS_ACTION": 2.0, "WP_SPEED": 2.0, "CRUISE_SPEED": 2.0,
    "WP_RADIUS": 2.0, "ARMING_CHECK": 1.0,
}
FS_ACTIONS = {1: "RTL", 2: "HOLD", 3: "RTL", 4: "HOLD"}  # FS_ACTION -> mode (0: do nothing)
SPEED_MODES = {"AUTO", "RTL"}  # take DO_CHANGE_SPEED at any time; GUIDED once driving a target
DRIVING_MODES = {"GUIDED", "AUTO", "RTL"}
PREARM_EVERY = 5.0  # seconds between repeated PreArm STATUSTEXTs while not ready
MSG_IDS = {name: getattr(mavlink, f"MAVLINK_MSG_ID_{name}") for name in DEFAULT_RATES}


@dataclass
class SimConfig:
    ready_after: float = 1.0  # seconds before pre-arm checks pass and the origin is set
    gcs_timeout: float = 5.0  # HOLD after this long without a GCS heartbeat (0: off)
    target_timeout: float = 0.0  # stop after this long without a position target (0: off)
    time_scale: float = 1.0  # simulated seconds per real second, for quick rehearsals
    tick: float = 0.02
    params: dict[str, float] = field(default_factory=dict)  # overrides of DEFAULT_PARAMS
    rates: dict[str, float] = field(default_factory=dict)  # Hz at power-on, over DEFAULT_RATES


@dataclass
class LoggedCommand:
    at: float
    what: tuple[Any, ...]
    outcome: str


@dataclass
class _Ack:
    due: float
    msg: Message


@dataclass
class SimBase:
    endpoint: Any
    vehicle: Vehicle = field(default_factory=Vehicle)
    config: SimConfig = field(default_factory=SimConfig)
    faults: Faults = field(default_factory=Faults)

    def __post_init__(self) -> None:
        self.codec = Codec(1, 1)
        self.log: list[LoggedCommand] = []
        self.armed = False
        self.mode = mav.MODES["INITIALISING"]
        self.statustexts: list[str] = []
        self.params = {**DEFAULT_PARAMS, "FS_GCS_TIMEOUT": self.config.gcs_timeout,
                       **self.config.params}
        self.guided_wp = False  # a position target arrived since GUIDED was entered
        self.vehicle.cruise_speed = self.params["WP_SPEED"]
        self._next_prearm = 0.0
        self._rates = {**DEFAULT_RATES, **self.config.rates}
        self._due: dict[str, float] = {}
        self._acks: list[_Ack] = []
        self._started = time.monotonic()
        self._last_gcs: float | None = None
        self._last_target = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- lifecycle -----------------------------------------------------------------
    @property
    def url(self) -> str:
        return self.endpoint.url

    def start(self) -> SimBase:
        self._thread = threading.Thread(target=self.run, name="robot-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)
        self.endpoint.close()

    def run(self) -> None:
        last = time.monotonic()
        while not self._stop.is_set():
            data = self.faults.garble(self.endpoint.read(self.config.tick))
            now = time.monotonic()
            with self._lock:
                for msg in self.codec.feed(data) if data else ():
                    self._receive(msg, now)
                self._advance(now, now - last)
            last = now

    @property
    def ready(self) -> bool:
        return time.monotonic() - self._started >= self.config.ready_after

    @property
    def gcs_seen(self) -> bool:
        return self._last_gcs is not None

    def outside(self, command: int, *params: float) -> int:
        """A COMMAND_LONG from another ground station (fault injection): returns the result."""
        p = (tuple(float(v) for v in params) + (0.0,) * 7)[:7]
        msg = mavlink.MAVLink_command_long_message(1, 1, command, 0, *p)
        msg._header = mavlink.MAVLink_header(msg.id, srcSystem=OUTSIDE_SYSTEM_ID,
                                             srcComponent=190)
        with self._lock:
            return self._answer(msg, time.monotonic())

    @property
    def mode_name(self) -> str:
        return mav.mode_name(self.mode)

    # -- incoming ------------------------------------------------------------------
    def _receive(self, msg: Message, now: float) -> None:
        if msg.get_srcSystem() == GCS_SYSTEM_ID:
            self._last_gcs = now  # like ArduPilot, any packet from the GCS keeps it alive
        handler = self._HANDLERS.get(msg.get_type())
        if handler is not None:
            handler(self, msg, now)

    def _on_command(self, msg: Message, now: float) -> None:
        if (msg.target_system, msg.target_component) not in ((1, 1), (1, 0), (0, 0)):
            return
        self._answer(msg, now)

    def _answer(self, msg: Message, now: float) -> int:
        action = self._COMMANDS.get(msg.command, SimBase._cmd_unsupported)
        result = mav.FAILED if msg.command in self.faults.refuse else action(self, msg)
        self._record(now, msg, mav.RESULTS[result])
        ack = mavlink.MAVLink_command_ack_message(msg.command, result, 0, 0, msg.get_srcSystem(),
                                                   msg.get_srcComponent())
        if not self.faults.lose_ack():
            self._acks.append(_Ack(now + self.faults.ack_delay, ack))
        return result

    def _on_param_read(self, msg: Message, now: float) -> None:
        name = mav.param_name(msg)
        if msg.target_system == 1 and name in self.params:  # unknown names: no answer
            self._send_param(name)

    def _on_param_set(self, msg: Message, now: float) -> None:
        name = mav.param_name(msg)
        if msg.target_system != 1 or name not in self.params:
            return
        changed = name not in self.faults.read_only
        if changed:
            self._apply_param(name, float(msg.param_value))
        self._record(now, msg, "SET" if changed else "READ_ONLY")
        self._send_param(name)  # the firmware answers with the value now in force

    def _apply_param(self, name: str, value: float) -> None:
        self.params[name] = value
        if name == "WP_SPEED":
            self.vehicle.cruise_speed = value

    def _send_param(self, name: str) -> None:
        index = sorted(self.params).index(name)
        self._send(mavlink.MAVLink_param_value_message(
            name.encode(), self.params[name], mav.PARAM_REAL32, len(self.params), index))

    def _on_position_target(self, msg: Message, now: float) -> None:
        if msg.target_system != 1:
            return
        outcome = self._position_refusal(msg) or "FOLLOWING"
        if outcome == "FOLLOWING":  # kept while disarmed too, as the firmware does
            yaw = None if msg.type_mask & 0x400 else msg.yaw
            self.vehicle.target = (msg.x, msg.y, yaw)
            self.guided_wp = True
            self._last_target = now
        self._record(now, msg, outcome)

    def _position_refusal(self, msg: Message) -> str | None:
        checks = (
            (msg.coordinate_frame != mav.FRAME_LOCAL_NED, "IGNORED_FRAME"),
            ((msg.type_mask & ACCEL_IGNORE) != ACCEL_IGNORE, "IGNORED_MASK"),
            (self.mode != mav.MODES["GUIDED"], "IGNORED_NOT_GUIDED"),
            (not self.ready, "IGNORED_NO_ORIGIN"),
        )
        return next((why for bad, why in checks if bad), None)

    def _record(self, now: float, msg: Message, outcome: str) -> None:
        self.log.append(LoggedCommand(now, mav.canonical(msg), outcome))

    # -- commands ------------------------------------------------------------------
    def _cmd_set_mode(self, msg: Message) -> int:
        number = int(msg.param2)
        if number not in mav.MODE_NAMES or number == mav.MODES["INITIALISING"]:
            return mav.DENIED
        if not self.ready:
            return mav.FAILED
        self._set_mode(number)
        return mav.ACCEPTED

    def _cmd_arm(self, msg: Message) -> int:
        if int(msg.param1) == 0:
            return self._disarm(forced=int(msg.param2) == mav.FORCE_DISARM)
        if not self.ready:
            self.statustext("PreArm: waiting for position estimate")
            return mav.FAILED
        self.armed = True
        return mav.ACCEPTED

    def _disarm(self, forced: bool) -> int:
        if forced:
            self.statustext("Disarming motors (forced)", 2)
        self.armed = False  # the guided target stays: the firmware drives on if re-armed
        return mav.ACCEPTED

    def _cmd_change_speed(self, msg: Message) -> int:
        takes = self.mode_name in SPEED_MODES or (self.mode_name == "GUIDED" and self.guided_wp)
        if not takes:
            return mav.FAILED
        if msg.param2 > 0:
            self.vehicle.commanded_speed = msg.param2
        return mav.ACCEPTED

    def _cmd_interval(self, msg: Message) -> int:
        name = next((n for n, i in MSG_IDS.items() if i == int(msg.param1)), None)
        if name is None:
            return mav.UNSUPPORTED
        self._rates[name] = 0.0 if msg.param2 < 0 else (1e6 / msg.param2 if msg.param2 else 1.0)
        self._due.pop(name, None)  # the new interval starts now, not after the old one
        return mav.ACCEPTED

    def _cmd_unsupported(self, msg: Message) -> int:
        return mav.UNSUPPORTED

    def _set_mode(self, number: int) -> None:
        if number == self.mode:
            return
        self.mode = number
        self.vehicle.commanded_speed = None  # each mode starts at its default speed
        self.guided_wp = False  # entering GUIDED: hold a stopping point until a target comes
        self.vehicle.target = (0.0, 0.0, None) if self.mode_name == "RTL" else None

    def statustext(self, text: str, severity: int = 4) -> None:
        self.statustexts.append(text)
        self._send(mavlink.MAVLink_statustext_message(severity, text.encode()[:50]))

    # -- time passing ----------------------------------------------------------------
    def _advance(self, now: float, dt: float) -> None:
        if self.mode == mav.MODES["INITIALISING"] and self.ready:
            self.mode = mav.MODES["HOLD"]
        self._failsafes(now)
        self._prearm_reminder(now)
        moving = self.armed and self.mode_name in DRIVING_MODES
        if self.vehicle.step(dt * self.config.time_scale, moving):
            self._send(mavlink.MAVLink_mission_item_reached_message(0))
        self._flush_acks(now)
        self._telemetry(now)

    def _failsafes(self, now: float) -> None:
        guided = self.mode == mav.MODES["GUIDED"]
        self._gcs_failsafe(now)
        targets_stale = self.config.target_timeout and now - self._last_target > \
            self.config.target_timeout
        if targets_stale and guided and self.vehicle.target is not None:
            self.vehicle.target = None
            self.statustext("Guided: position targets stopped", 4)

    def _gcs_failsafe(self, now: float) -> None:
        timeout = self.params["FS_GCS_TIMEOUT"]
        action = FS_ACTIONS.get(int(self.params["FS_ACTION"]))
        lost = timeout > 0 and self._last_gcs is not None and now - self._last_gcs > timeout
        if not (lost and self.params["FS_GCS_ENABLE"] and action):
            return
        if self.mode_name in {"GUIDED", "AUTO"}:
            self._set_mode(mav.MODES[action])
            self.statustext(f"Failsafe: GCS heartbeat lost, {action}", 2)

    def _prearm_reminder(self, now: float) -> None:
        if not self.ready and self.gcs_seen and now >= self._next_prearm:
            self._next_prearm = now + PREARM_EVERY
            self.statustext("PreArm: waiting for position estimate")

    def _flush_acks(self, now: float) -> None:
        due = [a for a in self._acks if a.due <= now]
        self._acks = [a for a in self._acks if a.due > now]
        for ack in due:
            self._send(ack.msg)

    def _telemetry(self, now: float) -> None:
        for name, hz in self._rates.items():
            if hz <= 0 or now < self._due.get(name, 0.0):
                continue
            self._due[name] = now + 1.0 / hz
            msg = self._BUILDERS[name](self)
            if msg is not None:
                self._send(msg)

    def _send(self, msg: Message) -> None:
        self.endpoint.write(self.faults.garble(self.codec.encode(msg)))

    # -- telemetry builders ------------------------------------------------------------
    def _heartbeat(self) -> Message:
        base_mode = mav.CUSTOM_MODE_FLAG | (mav.ARMED_FLAG if self.armed else 0)
        state = mav.STATE_ACTIVE if self.armed else mav.STATE_STANDBY
        return mavlink.MAVLink_heartbeat_message(mav.TYPE_GROUND_ROVER, mav.AUTOPILOT_ARDUPILOTMEGA,
                                                 base_mode, self.mode, state, 3)

    def _sys_status(self) -> Message:
        pct = int(self.vehicle.battery)
        volts = int(11000 + 1600 * self.vehicle.battery / 100)
        health = mav.PREARM_CHECK if self.ready else 0
        return mavlink.MAVLink_sys_status_message(mav.PREARM_CHECK, mav.PREARM_CHECK, health, 100,
                                                  volts, 150, pct, 0, 0, 0, 0, 0, 0)

    def _battery_status(self) -> Message:
        cells = [3700] + [65535] * 9
        return mavlink.MAVLink_battery_status_message(0, 0, 1, 2500, cells, 150, -1, -1,
                                                      int(self.vehicle.battery))

    def _global_position(self) -> Message:
        v = self.vehicle
        lat, lon = 222620000 + int(v.x * 90), 1141300000 + int(v.y * 97)  # Cyberport, roughly
        return mavlink.MAVLink_global_position_int_message(self._boot_ms(), lat, lon, 0, 0,
                                                           int(v.vx * 100), int(v.vy * 100), 0, 0)

    def _local_position(self) -> Message | None:
        if not self.ready:
            return None
        v = self.vehicle
        return mavlink.MAVLink_local_position_ned_message(self._boot_ms(), v.x, v.y, 0.0,
                                                          v.vx, v.vy, 0.0)

    def _attitude(self) -> Message:
        yaw = math.remainder(self.vehicle.yaw, math.tau)
        return mavlink.MAVLink_attitude_message(self._boot_ms(), 0.0, 0.0, yaw, 0.0, 0.0, 0.0)

    def _distance(self) -> Message | None:
        if not self.vehicle.obstacles:
            return None
        cm = int(self.vehicle.obstacle_distance() * 100)
        return mavlink.MAVLink_distance_sensor_message(self._boot_ms(), 20, 400, cm, 0, 0, 0, 0)

    def _boot_ms(self) -> int:
        return int((time.monotonic() - self._started) * 1000) & 0xFFFFFFFF

    _HANDLERS: ClassVar[dict[str, Callable[[SimBase, Message, float], None]]] = {
        "COMMAND_LONG": _on_command,
        "SET_POSITION_TARGET_LOCAL_NED": _on_position_target,
        "PARAM_REQUEST_READ": _on_param_read, "PARAM_SET": _on_param_set,
    }
    _COMMANDS: ClassVar[dict[int, Callable[[SimBase, Message], int]]] = {
        mav.CMD_DO_SET_MODE: _cmd_set_mode, mav.CMD_ARM_DISARM: _cmd_arm,
        mav.CMD_DO_CHANGE_SPEED: _cmd_change_speed, mav.CMD_SET_MESSAGE_INTERVAL: _cmd_interval,
    }
    _BUILDERS: ClassVar[dict[str, Callable[[SimBase], Message | None]]] = {
        "HEARTBEAT": _heartbeat, "SYS_STATUS": _sys_status, "BATTERY_STATUS": _battery_status,
        "GLOBAL_POSITION_INT": _global_position, "LOCAL_POSITION_NED": _local_position,
        "DISTANCE_SENSOR": _distance, "ATTITUDE": _attitude,
    }
