"""ArduPilot Rover's numbers (ROBOT_LINK.md) and builders for the messages we send.

Every outgoing message is built here, so the names of modes, commands and results exist in
one table each and nothing else spells a MAVLink number.
"""

from __future__ import annotations

import struct

from pymavlink.dialects.v20 import ardupilotmega as mavlink

MODES: dict[str, int] = {
    "MANUAL": 0, "HOLD": 4, "AUTO": 10, "RTL": 11, "GUIDED": 15, "INITIALISING": 16,
}
MODE_NAMES: dict[int, str] = {number: name for name, number in MODES.items()}

CMD_DO_SET_MODE = 176
CMD_DO_CHANGE_SPEED = 178
CMD_ARM_DISARM = 400
CMD_SET_MESSAGE_INTERVAL = 511
FORCE_DISARM = 21196
SPEED_GROUND = 1  # DO_CHANGE_SPEED param1
COMMAND_NAMES: dict[int, str] = {
    CMD_DO_SET_MODE: "DO_SET_MODE", CMD_DO_CHANGE_SPEED: "DO_CHANGE_SPEED",
    CMD_ARM_DISARM: "COMPONENT_ARM_DISARM", CMD_SET_MESSAGE_INTERVAL: "SET_MESSAGE_INTERVAL",
}

RESULTS: dict[int, str] = {
    0: "ACCEPTED", 1: "TEMPORARILY_REJECTED", 2: "DENIED", 3: "UNSUPPORTED", 4: "FAILED",
    5: "IN_PROGRESS", 6: "CANCELLED",
}
ACCEPTED, TEMPORARILY_REJECTED, DENIED, UNSUPPORTED, FAILED, IN_PROGRESS = 0, 1, 2, 3, 4, 5

ARMED_FLAG = 0x80  # MAV_MODE_FLAG_SAFETY_ARMED
CUSTOM_MODE_FLAG = 0x01
TYPE_GCS, TYPE_GROUND_ROVER = 6, 10
AUTOPILOT_INVALID, AUTOPILOT_ARDUPILOTMEGA = 8, 3
STATE_STANDBY, STATE_ACTIVE = 3, 4
PREARM_CHECK = 0x10000000  # MAV_SYS_STATUS_PREARM_CHECK: SYS_STATUS health bit, set once arming may pass
PARAM_REAL32 = 9  # MAV_PARAM_TYPE_REAL32
FRAME_LOCAL_NED = 1
POSITION_ONLY = 0x0DF8  # ignore velocity and acceleration; yaw and yaw rate ignored too
POSITION_AND_YAW = 0x09F8  # as above but use yaw

Message = mavlink.MAVLink_message


def gcs_heartbeat() -> Message:
    return mavlink.MAVLink_heartbeat_message(TYPE_GCS, AUTOPILOT_INVALID, 0, 0, STATE_ACTIVE, 3)


def command_long(target: tuple[int, int], command: int, params: tuple[float, ...],
                 confirmation: int = 0) -> Message:
    p = (tuple(float(v) for v in params) + (0.0,) * 7)[:7]
    return mavlink.MAVLink_command_long_message(target[0], target[1], command, confirmation, *p)


def position_target(target: tuple[int, int], x: float, y: float, yaw: float | None,
                    time_ms: int = 0) -> Message:
    mask = POSITION_ONLY if yaw is None else POSITION_AND_YAW
    return mavlink.MAVLink_set_position_target_local_ned_message(
        time_ms, target[0], target[1], FRAME_LOCAL_NED, mask,
        x, y, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, yaw or 0.0, 0.0)


def param_request_read(target: tuple[int, int], name: str) -> Message:
    return mavlink.MAVLink_param_request_read_message(target[0], target[1], name.encode(), -1)


def param_set(target: tuple[int, int], name: str, value: float) -> Message:
    return mavlink.MAVLink_param_set_message(target[0], target[1], name.encode(), float(value),
                                             PARAM_REAL32)


def param_name(msg: Message) -> str:
    """PARAM_VALUE / PARAM_SET ids are NUL-padded 16-byte fields."""
    raw = msg.param_id
    text = raw.decode(errors="replace") if isinstance(raw, bytes) else raw
    return text.rstrip("\x00")


def is_armed(heartbeat: Message) -> bool:
    return bool(heartbeat.base_mode & ARMED_FLAG)


def mode_name(number: int) -> str:
    return MODE_NAMES.get(number, f"MODE_{number}")


ACTIONABLE = frozenset({"COMMAND_LONG", "SET_POSITION_TARGET_LOCAL_NED", "PARAM_SET"})
_CANONICAL_FIELDS: dict[str, tuple[str, ...]] = {
    "COMMAND_LONG": ("command", "param1", "param2", "param3", "param4", "param5", "param6",
                     "param7"),
    "SET_POSITION_TARGET_LOCAL_NED": ("coordinate_frame", "type_mask", "x", "y", "yaw"),
    "PARAM_SET": ("param_value",),
}


def canonical(msg: Message) -> tuple[object, ...]:
    """What a command means, independent of retransmission and of float32 on the wire; the
    controller's journal and the simulator's log of accepted commands compare these."""
    fields = _CANONICAL_FIELDS[msg.get_type()]
    named = (param_name(msg),) if msg.get_type() == "PARAM_SET" else ()
    return (msg.get_type(), *named, *(_f32(getattr(msg, name)) for name in fields))


def _f32(value: float | int) -> float:
    return round(struct.unpack("<f", struct.pack("<f", float(value)))[0], 4)
