"""What keeps the base safe whatever becomes of the tour.

`Guard` remembers what we commanded: the modes and arming state that may be in force (old
and new both, while a command is in flight or went unanswered, and after it is acknowledged
until a HEARTBEAT shows the new one: on a noisy line a late acknowledgement of an earlier
copy of the same command can answer this one before the base has it). "Old" is what the
last heartbeat showed when nothing was commanded before. A HEARTBEAT showing anything else
(a disarm, a mode change or an e-stop from another ground station, an RC transmitter or the
firmware) trips it. A tripped guard is a latch: `Base.arm` refuses (`SafetyStop`) until
an operator resets, so nothing re-arms on its own.

`make_safe` is how every tour that does not end on the dock leaves the base: HOLD at once,
disarmed once still or after `disarm_after` seconds. `check_failsafe` reads the base's GCS
failsafe on connect (FS_GCS_ENABLE, FS_ACTION) and sets it or refuses, per the setting.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from receptionist_robot import settings
from receptionist_robot.errors import (
    CommandError,
    CommandRejected,
    LinkError,
    ParameterError,
    UnsafeBase,
)

if TYPE_CHECKING:
    from receptionist_robot.base import Base
    from receptionist_robot.params import Params

FAILSAFE_POLICIES = ("set", "refuse", "off")
FS_HOLD = 2  # FS_ACTION: Hold, which is what our link-lost policy (stop and wait) needs
FAILSAFE = {"FS_GCS_ENABLE": 1.0, "FS_ACTION": float(FS_HOLD)}
STILL = 0.05  # m/s


@dataclass
class Guard:
    modes: set[str] | None = None  # None: we have not commanded one yet, nothing to judge
    armed: set[bool] | None = None
    tripped: str | None = None
    listeners: list[Callable[[str], None]] = field(default_factory=list)
    seen: dict[str, object] = field(default_factory=dict)  # kind -> what the last heartbeat showed
    unconfirmed: dict[str, object] = field(default_factory=dict)  # kind -> acknowledged, not shown
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @contextlib.contextmanager
    def commanding(self, kind: str, value: object) -> Iterator[None]:
        with self._lock:
            before = getattr(self, kind)
            last = {self.seen[kind]} if kind in self.seen else set()
            self.unconfirmed.pop(kind, None)  # this command supersedes the last one
            setattr(self, kind, (last if before is None else before) | {value})
        try:
            yield  # on a timeout both stay allowed: we cannot know
        except CommandRejected:
            with self._lock:
                setattr(self, kind, before)  # the base said no: what was in force still is
            raise
        with self._lock:
            self.unconfirmed[kind] = value  # both stay allowed until a heartbeat shows it

    def allow_mode(self, mode: str) -> None:
        """A mode the base may take on its own without surprising us (its GCS failsafe)."""
        if self.modes is not None:
            self.modes = self.modes | {mode}

    def observe(self, mode: str, armed: bool) -> None:
        with self._lock:
            self.seen = {"modes": mode, "armed": armed}
            for kind, shown in self.seen.items():
                if kind in self.unconfirmed and self.unconfirmed[kind] == shown:
                    del self.unconfirmed[kind]
                    setattr(self, kind, {shown})  # the base took it: only it is in force now
            if self.armed is not None and armed not in self.armed:
                reason = "armed by someone else" if armed else "disarmed by someone else"
            elif self.modes is not None and mode not in self.modes:
                reason = f"mode changed to {mode} by someone else"
            else:
                return
        self.trip(reason)

    def trip(self, reason: str) -> None:
        if self.tripped is not None:
            return
        self.tripped = reason
        for listener in list(self.listeners):
            listener(reason)

    def reset(self) -> None:
        self.tripped = None


def make_safe(base: Base, disarm_after: float) -> str:
    """HOLD now; disarm once still, or after `disarm_after` s. Returns what the base was left in."""
    try:
        base.hold()
        base.wait_until(lambda t: math.hypot(t.vx, t.vy) < STILL, disarm_after)
        base.disarm()
    except (CommandError, LinkError) as exc:
        return f"not confirmed ({exc}); the base's GCS failsafe holds it once our heartbeat stops"
    return "HOLD, disarmed"


def check_failsafe(params: Params, policy: str) -> str:
    """Make sure the base holds by itself if our link goes; returns what is in force."""
    if policy == "off":
        return "not checked (SMARTLAB_ROBOT_FAILSAFE=off)"
    try:
        found = {name: params.get(name) for name in FAILSAFE}
    except ParameterError as exc:
        raise UnsafeBase(f"cannot read the base's GCS failsafe: {exc}") from exc
    shown = ", ".join(f"{k}={v:g}" for k, v in found.items())
    if found["FS_GCS_ENABLE"] >= 1 and int(found["FS_ACTION"]) == FS_HOLD:
        return shown
    if policy == "refuse":
        raise UnsafeBase(f"the base's GCS failsafe does not hold it on a lost link ({shown}); "
                         "set FS_GCS_ENABLE=1 and FS_ACTION=2, or SMARTLAB_ROBOT_FAILSAFE=set")
    try:
        for name, value in FAILSAFE.items():
            if found[name] != value:
                params.set(name, value)
    except ParameterError as exc:
        raise UnsafeBase(f"cannot set the base's GCS failsafe: {exc}") from exc
    return f"set FS_GCS_ENABLE=1, FS_ACTION=2 (found {shown})"


STEERING = ("skid_steer", "car_like")
SPEED_LIMITS = ("soft", "hard")


@dataclass(frozen=True)
class SafetyConfig:
    """The operator's choices (SMARTLAB_ROBOT_* settings) for what the controller does."""

    disarm_after: float = 3.0  # seconds in HOLD before a forced end disarms (sooner once still)
    failsafe: str = "set"  # FAILSAFE_POLICIES
    speed_limit: str = "soft"  # hard: a refused speed command stops the tour
    steering: str = "skid_steer"  # STEERING: sets the arrival tolerance

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SafetyConfig:
        return cls(
            disarm_after=settings.number(settings.DISARM_AFTER_ENV, environ),
            failsafe=settings.choice(settings.FAILSAFE_ENV, FAILSAFE_POLICIES, environ),
            speed_limit=settings.choice(settings.SPEED_LIMIT_ENV, SPEED_LIMITS, environ),
            steering=settings.choice(settings.STEERING_ENV, STEERING, environ),
        )
