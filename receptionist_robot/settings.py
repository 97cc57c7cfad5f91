"""The robot's `SMARTLAB_*` settings, shown by `smartlab config` (`smartlab.settings` entry point)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from rpa.settings import Setting, SettingError

ROBOT_ENV = "SMARTLAB_ROBOT_URL"
TOUR_MAP_ENV = "SMARTLAB_TOUR_MAP"
DWELL_ENV = "SMARTLAB_TOUR_DWELL_SCALE"
READY_TIMEOUT_ENV = "SMARTLAB_ROBOT_READY_TIMEOUT"
DISARM_AFTER_ENV = "SMARTLAB_ROBOT_DISARM_AFTER"
FAILSAFE_ENV = "SMARTLAB_ROBOT_FAILSAFE"
SPEED_LIMIT_ENV = "SMARTLAB_ROBOT_SPEED_LIMIT"
STEERING_ENV = "SMARTLAB_ROBOT_STEERING"
CONFORMANCE_ENV = "SMARTLAB_ROBOT_CONFORMANCE_URL"
KIOSK_IDLE_ENV = "SMARTLAB_KIOSK_IDLE"

SETTINGS = [
    Setting(ROBOT_ENV, "the robot base the console drives (device, socket://host:port)", "- (not connected)"),
    Setting(TOUR_MAP_ENV, "tour map for the console's robot page", "flows/tours/innovation_lab.yaml"),
    Setting(DWELL_ENV, "scale of the time spent at each stop (0 = no wait)", "1.0"),
    Setting("SMARTLAB_ROBOT_PORT", "the base's port for `smartlab robot` commands", "-"),
    Setting(READY_TIMEOUT_ENV, "seconds to wait for the base to be ready (pre-arm, position)", "90"),
    Setting(DISARM_AFTER_ENV, "seconds a base left in HOLD by a fault, abort or exit waits "
            "before it is disarmed (sooner once still)", "3"),
    Setting(FAILSAFE_ENV, "the base's GCS failsafe on connect: set (FS_GCS_ENABLE=1, "
            "FS_ACTION=2), refuse (no tour unless set), off (not checked)", "set"),
    Setting(SPEED_LIMIT_ENV, "a speed limit the base refuses: soft (warn, drive on) or hard "
            "(the tour stops safely)", "soft"),
    Setting(STEERING_ENV, "the base's steering, for arrival tolerances: skid_steer or car_like",
            "skid_steer"),
    Setting(CONFORMANCE_ENV, "MAVLink endpoint the conformance tests run against",
            "- (a simulator the tests start)"),
    Setting("SMARTLAB_RASA_URL", "Rasa server of the receptionist dialogue", "http://127.0.0.1:5005"),
    Setting("SMARTLAB_SMTP_URL", "mail server for check-in notices (smtp://host:port)", "-"),
    Setting("SMARTLAB_CHECKIN_TO", "who is told of a visitor's check-in", "-"),
    Setting(KIOSK_IDLE_ENV, "seconds without a touch (and no tour running) before the kiosk "
            "forgets the conversation and shows its greeting again", "90"),
]
_DEFAULTS = {s.name: s.default for s in SETTINGS}


def number(name: str, environ: Mapping[str, str] | None = None) -> float:
    """A numeric robot setting: its environment value, else its listed default."""
    raw = _raw(name, environ)
    try:
        return float(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r} is not a number") from None


def choice(name: str, options: tuple[str, ...], environ: Mapping[str, str] | None = None) -> str:
    raw = _raw(name, environ).strip().lower()
    if raw not in options:
        raise SettingError(f"{name}={raw!r} is not one of {', '.join(options)}")
    return raw


def _raw(name: str, environ: Mapping[str, str] | None) -> str:
    env = os.environ if environ is None else environ
    return env.get(name) or _DEFAULTS[name]


__all__ = ["DWELL_ENV", "ROBOT_ENV", "SETTINGS", "TOUR_MAP_ENV", "choice", "number"]
