"""A MAVLink v2 rover base for tests, demos and development, with fault injection.

Reached through the same URL seam as the real base (a pty's device path or
`socket://127.0.0.1:PORT`), so the controller has no simulated branch.
"""

from receptionist_robot.simulator.endpoints import PtyEndpoint, TcpEndpoint, listen
from receptionist_robot.simulator.faults import Faults
from receptionist_robot.simulator.rover import LoggedCommand, SimBase, SimConfig
from receptionist_robot.simulator.vehicle import Obstacle, Vehicle

__all__ = [
    "Faults",
    "LoggedCommand",
    "Obstacle",
    "PtyEndpoint",
    "SimBase",
    "SimConfig",
    "TcpEndpoint",
    "Vehicle",
    "listen",
]
