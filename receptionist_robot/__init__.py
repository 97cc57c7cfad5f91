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
    RobotError,
    SimulatorError,
    TourError,
    TourFileError,
)
from receptionist_robot.link import Link, LinkConfig
from receptionist_robot.protocol import Codec
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
    "Pose",
    "RobotError",
    "SimulatorError",
    "TourController",
    "TourError",
    "TourEvent",
    "TourFileError",
    "TourMap",
    "TourRecords",
    "load_tours",
]
