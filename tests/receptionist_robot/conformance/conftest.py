"""The conformance suite's endpoint: `SMARTLAB_ROBOT_CONFORMANCE_URL` (a real base or the
firmware's own simulator: a device path or socket://HOST:PORT), else our simulator on a pty.

Against a real base the tests drive it up to about 5 m north of where it stands, at most
0.5 m/s: give it clear space, and keep a hand on the RC e-stop.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from receptionist_robot.base import Base
from receptionist_robot.errors import RobotError
from receptionist_robot.settings import CONFORMANCE_ENV
from receptionist_robot.simulator import PtyEndpoint, SimBase, SimConfig

SIM_CONFIG = {"ready_after": 0.2, "time_scale": 4.0, "gcs_timeout": 1.0,
              "rates": {"HEARTBEAT": 5.0, "SYS_STATUS": 5.0}}  # a connect in 0.2 s, not 1 s


@dataclass
class Endpoint:
    url: str
    sim: SimBase | None  # None: an outside base, judged only by what it sends


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    url = os.environ.get(CONFORMANCE_ENV)
    if url:
        yield Endpoint(url, None)
        return
    sim = SimBase(PtyEndpoint(), config=SimConfig(**SIM_CONFIG)).start()
    yield Endpoint(sim.url, sim)
    sim.stop()


@pytest.fixture
def base(endpoint: Endpoint) -> Iterator[Base]:
    """A base ready to arm; left in HOLD, disarmed and with its WP_SPEED as found."""
    b = Base.connect(endpoint.url, timeout=90)
    wp_speed = b.params.get("WP_SPEED")
    yield b
    leave_safe(b, wp_speed)


def leave_safe(b: Base, wp_speed: float) -> None:
    """HOLD, disarmed, WP_SPEED as found: each tried whatever became of the one before."""
    for step in (b.hold, b.disarm, lambda: b.params.set("WP_SPEED", wp_speed)):
        with contextlib.suppress(RobotError):
            step()
    b.close()
