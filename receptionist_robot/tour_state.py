"""The tour's states and transitions, what it has done so far, and the events it emits.

    docked -> greeting -> navigating <-> presenting -> returning -> docking -> docked
                  any moving state -> paused (operator, or link lost) -> back where it was
                  any state -> estopped (e-stop; held until an operator resets) -> paused
                  any state -> fault (commands keep failing, or a hard speed limit refused)
                  docked -> refused (the base's failsafe settings rule the tour out)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from receptionist_robot.routes import Waypoint

MOVING = ["greeting", "navigating", "presenting", "returning"]
STATES = ["docked", *MOVING, "paused", "docking", "estopped", "fault", "refused"]
ENDS = ("docked", "fault", "refused")
ARRIVAL = {"skid_steer": 0.5, "car_like": 1.2}  # metres; the base stops 0.2-0.3 m short
HEADING = {"skid_steer": 0.35, "car_like": None}  # radians from a stop's yaw (None: not judged)
SETTLE_MAX = 2.0  # seconds close by before arrival counts even if not yet facing the yaw
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "start", "source": "docked", "dest": "greeting"},
    {"trigger": "next_stop", "source": ["greeting", "navigating", "presenting"],
     "dest": "navigating"},
    {"trigger": "arrive", "source": "navigating", "dest": "presenting"},
    {"trigger": "go_home", "source": ["greeting", "navigating", "presenting", "paused"],
     "dest": "returning"},
    {"trigger": "at_dock", "source": "returning", "dest": "docking"},
    {"trigger": "docked", "source": "docking", "dest": "docked"},
    {"trigger": "refuse", "source": "docked", "dest": "refused"},
    {"trigger": "pause", "source": MOVING, "dest": "paused"},
    *({"trigger": f"resume_{s}", "source": "paused", "dest": s} for s in MOVING),
    {"trigger": "estop", "source": "*", "dest": "estopped"},
    {"trigger": "reset", "source": "estopped", "dest": "paused"},
    {"trigger": "fail", "source": "*", "dest": "fault"},
]
TICK = 0.05
RESEND = 0.5  # seconds between position targets once the base is seen moving
RESEND_UNCONFIRMED = 0.05  # until then: a target is never acknowledged and may be lost
COMMAND_PATIENCE = 60.0  # seconds of failing commands, link up, before the tour faults


@dataclass(frozen=True)
class TourEvent:
    kind: str
    state: str
    data: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[TourEvent], None]


class Phase:
    """What transitions moves; kept apart so its trigger methods do not crowd the controller."""

    state: str


@dataclass
class Progress:
    index: int = -1  # the stop being approached or presented
    legs: list[Waypoint] = field(default_factory=list)
    dwell_until: float = 0.0
    blocked_since: float | None = None
    leg_started: float = 0.0
    last_goal: float = 0.0
    paused_from: str = ""
    pause_reason: str = ""
    low_battery: bool = False
    failing_since: float | None = None
    distance: float = 0.0
    last_xy: tuple[float, float] | None = None
    estops: int = 0
    link_losses: int = 0
    stops: list[dict[str, Any]] = field(default_factory=list)
    recorded: set[int] = field(default_factory=set)
    greeted: bool = False
    aborted: bool = False  # the tour ended where it was (the server is going away)
    reason: str | None = None  # why it ended, when not completed
    estop_reasons: list[str] = field(default_factory=list)
    speed_due: bool = False  # the leg's DO_CHANGE_SPEED is still to send
    speed_entries: int = 0  # the base's GUIDED entries when the speed was last sent
    warned: set[str] = field(default_factory=set)
    leg_arrivals: int = 0  # the base's MISSION_ITEM_REACHED count when the leg began
    close_since: float | None = None  # when the base came within the arrival distance
