"""The receptionist / guide robot: MAVLink v2 over serial, tours, dialogue with Rasa."""

from receptionist_robot.base import Base, Pose
from receptionist_robot.controller import TourController, TourEvent
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
from receptionist_robot.link import Link, LinkConfig
from receptionist_robot.protocol import Codec
from receptionist_robot.safety import SafetyConfig
from receptionist_robot.store import TourRecords
from receptionist_robot.tours import TourMap, load_tours

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
