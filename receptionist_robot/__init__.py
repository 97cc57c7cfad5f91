"""The receptionist / guide robot: MAVLink v2 over serial, tours, dialogue with Rasa."""

from importlib import import_module
from typing import Any

from receptionist_robot.errors import (
    BaseNotReady,
    CommandError,
    CommandRejected,
    CommandTimeout,
    LinkError,
    LinkLost,
    NavigationError,
    ParameterError,
    RobotError,
    SafetyStop,
    SimulatorError,
    TourError,
    TourFileError,
    UnsafeBase,
)

# The rest load on first use (pymavlink, serial, transitions...), so that importing a light
# part of the package, such as `receptionist_robot.migrations` when any store opens, stays cheap.
_LAZY = {
    "Base": "base", "Pose": "base", "TourController": "controller", "TourEvent": "controller",
    "Link": "link", "LinkConfig": "link", "Codec": "protocol", "SafetyConfig": "safety",
    "TourRecords": "store", "TourMap": "tours", "load_tours": "tours",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'receptionist_robot' has no attribute '{name}'")
    return getattr(import_module(f"receptionist_robot.{_LAZY[name]}"), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "Base",
    "BaseNotReady",
    "Codec",
    "CommandError",
    "CommandRejected",
    "CommandTimeout",
    "Link",
    "LinkConfig",
    "LinkError",
    "LinkLost",
    "NavigationError",
    "ParameterError",
    "Pose",
    "RobotError",
    "SafetyConfig",
    "SafetyStop",
    "SimulatorError",
    "TourController",
    "TourError",
    "TourEvent",
    "TourFileError",
    "TourMap",
    "TourRecords",
    "UnsafeBase",
    "load_tours",
]
