"""A tour controller running in a thread against the simulator on a real pty, with every
event it emitted and every ground speed the base reported; the `tour` fixture makes them."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from receptionist_robot.base import Base
from receptionist_robot.controller import TourController, TourEvent
from receptionist_robot.safety import SafetyConfig
from receptionist_robot.simulator import SimBase
from receptionist_robot.store import TourRecords
from receptionist_robot.tours import load_tours

SHIPPED = Path(__file__).parents[2] / "flows" / "tours" / "innovation_lab.yaml"
FAST = 40.0  # simulated seconds per real second once nothing is timed by hand: a 4 m leg, 0.1 s
ALL_STOPS = [s.location for s in load_tours(SHIPPED).tour("showroom").stops]


class Tour:
    """A controller running in a thread, with every event it emitted."""

    def __init__(self, sim: SimBase, tour: str, records: TourRecords | None,
                 tours: Path = SHIPPED, dwell_scale: float = 0, safety: SafetyConfig | None = None,
                 base: Base | None = None, **link: Any) -> None:
        self.sim = sim
        self.base = base or Base.connect(sim.url, timeout=30, **link)
        self.controller = TourController(self.base, load_tours(tours), tour, "zh-HK", records,
                                         dwell_scale, safety or SafetyConfig(disarm_after=1.0))
        self.events: list[TourEvent] = []
        self.stamped: list[tuple[float, TourEvent]] = []  # for matching with the simulator's log
        self.ground: list[tuple[float, float, float, float]] = []  # at, x, y, reported speed
        self.controller.listeners.append(self.events.append)
        self.controller.listeners.append(lambda e: self.stamped.append((time.monotonic(), e)))
        self.base.link.subscribe(self._ground)
        self.summary: dict[str, Any] = {}
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _ground(self, msg: Any) -> None:
        if msg.get_type() == "LOCAL_POSITION_NED":
            self.ground.append((time.monotonic(), msg.x, msg.y, math.hypot(msg.vx, msg.vy)))

    def first(self, kind: str) -> float:
        return next(at for at, e in self.stamped if e.kind == kind)

    def _run(self) -> None:
        try:
            self.summary = self.controller.run()
        except Exception as exc:  # shown by wait(): a tour that dies must say why
            self.error = exc
            raise

    def start(self) -> Tour:
        self._thread.start()
        return self

    def wait(self, timeout: float = 240) -> dict[str, Any]:
        self._thread.join(timeout)  # a safety net only; the tour ends on its own
        assert not self._thread.is_alive(), (
            f"tour stuck in {self.controller.state}; e-stops: "
            f"{self.controller.progress.estop_reasons}; the base's last texts: "
            f"{self.sim.statustexts[-3:]}; last events: {self.kinds()[-8:]}")
        assert self.error is None, f"tour failed: {type(self.error).__name__}: {self.error}"
        return self.summary

    def fast_forward(self, time_scale: float = FAST) -> None:
        """The rest of the tour at `time_scale`: for tests that act on a slow base moving,
        then only need the tour to finish."""
        self.sim.config.time_scale = time_scale

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]

    def when(self, check: Callable[[TourEvent], bool], action: Callable[[], None]) -> None:
        """Run `action` once, on the controller's thread, at the first event that matches."""
        done = threading.Event()

        def listener(event: TourEvent) -> None:
            if not done.is_set() and check(event):
                done.set()
                action()
        self.controller.listeners.append(listener)


@pytest.fixture
def tour(make_sim: Callable[..., SimBase], db_url: str) -> Iterator[Callable[..., Tour]]:
    made: list[Tour] = []

    def make(tour_name: str = "showroom", *, link: dict[str, Any] | None = None,
             tours: Path = SHIPPED, dwell_scale: float = 0, safety: SafetyConfig | None = None,
             **sim: Any) -> Tour:
        t = Tour(make_sim(time_scale=sim.pop("time_scale", FAST), **sim), tour_name,
                 TourRecords(db_url), tours, dwell_scale, safety, **(link or {}))
        made.append(t)
        return t

    yield make
    for t in made:
        t.base.close()


def visited(summary: dict[str, Any]) -> list[str]:
    return [s["location"] for s in summary["stops"] if s["status"] == "visited"]
