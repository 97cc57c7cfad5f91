"""The tour controller against the simulator on a real pty: the issue's acceptance runs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from receptionist_robot import mav
from receptionist_robot.base import Base
from receptionist_robot.controller import TourController, TourEvent
from receptionist_robot.simulator import Faults, Obstacle, SimBase, Vehicle
from receptionist_robot.store import TourRecords
from receptionist_robot.tours import load_tours
from tests.support.waiting import eventually

SHIPPED = Path(__file__).parents[2] / "flows" / "tours" / "innovation_lab.yaml"
ALL_STOPS = [s.location for s in load_tours(SHIPPED).tour("showroom").stops]


class Tour:
    """A controller running in a thread, with every event it emitted."""

    def __init__(self, sim: SimBase, tour: str, records: TourRecords | None,
                 tours: Path = SHIPPED, **link: Any) -> None:
        self.sim = sim
        self.base = Base.connect(sim.url, timeout=30, **link)
        self.controller = TourController(self.base, load_tours(tours), tour, "zh-HK",
                                         records, dwell_scale=0)
        self.events: list[TourEvent] = []
        self.controller.listeners.append(self.events.append)
        self.summary: dict[str, Any] = {}
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

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
        assert not self._thread.is_alive(), f"tour stuck in {self.controller.state}"
        assert self.error is None, f"tour failed: {type(self.error).__name__}: {self.error}"
        return self.summary

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
             tours: Path = SHIPPED, **sim: Any) -> Tour:
        t = Tour(make_sim(time_scale=sim.pop("time_scale", 10), **sim), tour_name,
                 TourRecords(db_url), tours, **(link or {}))
        made.append(t)
        return t

    yield make
    for t in made:
        t.base.close()


def visited(summary: dict[str, Any]) -> list[str]:
    return [s["location"] for s in summary["stops"] if s["status"] == "visited"]


def test_controller_completes_the_shipped_tour_and_docks(tour: Callable[..., Tour],
                                                         db_url: str) -> None:
    t = tour().start()
    summary = t.wait()
    assert summary["status"] == "completed" and visited(summary) == ALL_STOPS
    assert not t.sim.armed and t.sim.vehicle.x ** 2 + t.sim.vehicle.y ** 2 < 0.5 ** 2
    assert summary["distance_m"] > 20
    record = TourRecords(db_url).get(summary["tour_id"])
    assert record["status"] == "completed" and len(record["stops"]) == len(ALL_STOPS)


def test_controller_emits_presentations_in_every_language(tour: Callable[..., Tour]) -> None:
    t = tour("express").start()
    t.wait()
    shown = [e.data for e in t.events if e.kind == "presentation"]
    assert [d["location"] for d in shown] == ["city_dashboard", "poc_showcase"]
    assert shown[0]["text"] == shown[0]["texts"]["zh-HK"] and shown[0]["texts"]["zh-CN"]


@pytest.mark.slow
def test_controller_completes_on_a_noisy_line_and_never_acts_on_garbage(
        tour: Callable[..., Tour]) -> None:
    t = tour(faults=Faults(drop_rate=0.01, corrupt_rate=0.05, seed=5),
             link={"ack_timeout": 0.1, "heartbeat_period": 0.2}).start()
    summary = t.wait()
    assert summary["status"] == "completed" and visited(summary) == ALL_STOPS
    sent = set(t.base.link.sent_commands)
    assert t.sim.log and all(entry.what in sent for entry in t.sim.log)
    counters = summary["counters"]
    assert counters["crc_errors"] > 0 and counters["seq_gaps"] > 0 and counters["retries"] > 0
    assert t.sim.codec.counters.crc_errors > 0


@pytest.mark.slow
def test_controller_rides_out_a_five_second_cut(tour: Callable[..., Tour]) -> None:
    t = tour("express", time_scale=2, gcs_timeout=2.0)
    t.when(lambda e: e.kind == "state" and e.state == "navigating" and t.sim.vehicle.x > 0,
           lambda: t.sim.faults.cut(5.0))
    summary = t.start().wait()
    assert summary["status"] == "completed" and summary["link_losses"] >= 1
    assert any("GCS heartbeat lost" in text for text in t.sim.statustexts)
    kinds = t.kinds()
    assert kinds.index("link_lost") < kinds.index("link_restored")


def test_controller_estop_disarms_and_waits_for_an_operator(tour: Callable[..., Tour]) -> None:
    t = tour("express", time_scale=2).start()
    assert eventually(lambda: t.sim.vehicle.odometer > 0.3 and t.sim.armed)  # moving
    t.controller.post("estop")
    assert eventually(lambda: t.controller.state == "estopped" and not t.sim.armed, 30)
    assert any("forced" in text for text in t.sim.statustexts)
    t.controller.post("reset")
    t.controller.post("resume")
    summary = t.wait()
    assert summary["status"] == "completed" and summary["estops"] == 1


def test_controller_low_battery_finishes_the_stop_then_docks(tour: Callable[..., Tour]) -> None:
    t = tour(vehicle=Vehicle(battery=27.0, drain_per_m=0.4, drain_per_s=0.0))
    summary = t.start().wait()
    seen = visited(summary)
    assert "low_battery" in t.kinds() and summary["status"] == "completed"
    assert 1 <= len(seen) < len(ALL_STOPS) and seen == ALL_STOPS[:len(seen)]
    assert not any(s["status"] == "skipped" for s in summary["stops"])
    assert not t.sim.armed and abs(t.sim.vehicle.x) < 0.5


def test_controller_skip_moves_on_and_records_it(tour: Callable[..., Tour]) -> None:
    t = tour("express", time_scale=4)
    t.when(lambda e: e.kind == "state" and e.state == "navigating",
           lambda: t.controller.post("skip"))
    summary = t.start().wait()
    assert [s["status"] for s in summary["stops"]] == ["skipped", "visited"]


def test_controller_link_loss_holds_the_base(tour: Callable[..., Tour]) -> None:
    """The controller itself asks for HOLD when heartbeats stop but the line still carries."""
    t = tour("express", time_scale=4)
    t.when(lambda e: e.kind == "state" and e.state == "navigating",
           lambda: t.controller.post("link_lost"))
    t.start()
    assert eventually(lambda: t.sim.mode == mav.MODES["HOLD"] and t.controller.state == "paused")
    t.controller.post("link_up")
    assert t.wait()["status"] == "completed"


def test_controller_skips_a_blocked_stop_after_waiting(tour: Callable[..., Tour],
                                                       tmp_path: Path) -> None:
    impatient = tmp_path / "lab.yaml"
    impatient.write_text(SHIPPED.read_text(encoding="utf-8").replace(
        "obstacle_wait: 10", "obstacle_wait: 0.5"), encoding="utf-8")
    wall = Obstacle(4.0, 0.75, 0.3)  # in the aisle from reception to the city dashboard
    t = tour("express", tours=impatient, time_scale=4, vehicle=Vehicle(obstacles=[wall]))
    summary = t.start().wait()
    assert [(s["location"], s["status"]) for s in summary["stops"]] == [
        ("city_dashboard", "skipped"), ("poc_showcase", "visited")]
    assert "obstacle" in t.kinds() and summary["status"] == "completed"


def test_controller_abort_ends_a_paused_tour_where_it_is(tour: Callable[..., Tour]) -> None:
    t = tour("express", time_scale=2).start()
    assert eventually(lambda: t.sim.vehicle.odometer > 0.3)  # moving
    t.controller.post("pause")
    assert eventually(lambda: t.controller.state == "paused", 30)
    t.controller.post("abort")
    summary = t.wait(30)
    assert summary["status"] == "aborted" and "aborted" in t.kinds()
    assert t.controller.state == "paused"  # it did not drive home: it stopped where it was
