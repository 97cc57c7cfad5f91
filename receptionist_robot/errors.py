"""The robot's error tree; the type says what the controller does next.

    RobotError                     (an rpa.errors.SmartLabError)
    ├── LinkError                  the line cannot be opened, read or written
    │   └── LinkLost               no heartbeat from the base for N periods
    ├── CommandError               a COMMAND_LONG did not take effect
    │   ├── CommandTimeout         no COMMAND_ACK after every retry
    │   ├── CommandRejected        the base answered with a non-zero result
    │   └── SafetyStop             we will not arm: a stop nobody commanded, until an operator resets
    ├── ParameterError             a parameter could not be read or set (PARAM_VALUE)
    ├── BaseNotReady               no heartbeat or position yet, or pre-arm checks failing
    ├── UnsafeBase                 the base's own safety settings rule a tour out (GCS failsafe off)
    ├── NavigationError            a goal was not reached (blocked, timed out, disarmed)
    ├── TourError                  a tour cannot run (unknown tour or location)
    │   └── TourFileError          a tour file is wrong: every problem with path:line:col
    └── SimulatorError             the simulator cannot listen where it was asked to
"""

from __future__ import annotations

from rpa.errors import FlowErrors, SmartLabError


class RobotError(SmartLabError):
    """Root of every error the robot package raises on purpose."""


class LinkError(RobotError):
    """The serial line failed; the link reconnects with backoff on its own."""


class LinkLost(LinkError):
    """The base stopped sending heartbeats; motion must be treated as unknown."""


class CommandError(RobotError):
    def __init__(self, message: str, command: int) -> None:
        super().__init__(message)
        self.command = command


class CommandTimeout(CommandError):
    """Every attempt went unanswered; the base may or may not have acted."""


class CommandRejected(CommandError):
    def __init__(self, message: str, command: int, result: int) -> None:
        super().__init__(message, command)
        self.result = result


class SafetyStop(CommandError):
    """A disarm, mode change or e-stop nobody here commanded: no arming until an operator resets."""


class ParameterError(RobotError):
    """The base did not answer for a parameter, or kept another value than the one set."""


class UnsafeBase(RobotError):
    """The base's failsafe settings make a tour unsafe, and the setting says refuse."""


class BaseNotReady(RobotError):
    """The base is up but cannot arm or navigate yet."""


class NavigationError(RobotError):
    """A goal was abandoned; the reason is in the message."""


class TourError(RobotError):
    """A tour cannot be found or run."""


class TourFileError(TourError, FlowErrors):
    """A tour file is wrong; printed like a flow's errors, one `path:line:col` per line."""


class SimulatorError(RobotError):
    """The simulator cannot open its pty or TCP port."""
