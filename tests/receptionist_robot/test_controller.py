"""The tour controller against the simulator on a real pty: the issue's acceptance runs."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from receptionist_robot import mav
from receptionist_robot.base import Frame
from receptionist_robot.simulator import Faults, Obstacle, Vehicle
from receptionist_robot.store import TourRecords
from tests.receptionist_robot.touring import ALL_STOPS, SHIPPED, Tour, visited
from tests.support.waiting import eventually

EXPRESS = ["city_dashboard", "poc_showcase"]


def test_controller_completes_the_shipped_tour_within_its_speed_caps_and_docks(
        tour: Callable[..., Tour], db_url: str) -> None:
    """One showroom tour, judged by the record, the dock and the base's reported ground speed."""
    t = tour(time_scale=20).start()  # slow enough for several speed reports per aisle
    summary = t.wait()
    assert summary["status"] == "completed" and visited(summary) == ALL_STOPS
    assert not t.sim.armed and t.sim.mode == mav.MODES["HOLD"]
    assert math.hypot(t.sim.vehicle.x, t.sim.vehicle.y) <= 0.15  # the map's dock_tolerance
    assert summary["dock_offset_m"] <= 0.15 and summary["distance_m"] > 20
    assert not [e for e in t.sim.log if e.outcome == "FAILED"]  # nothing the firmware refuses
    record = TourRecords(db_url).get(summary["tour_id"])
    assert record["status"] == "completed" and len(record["stops"]) == len(ALL_STOPS)
    assert record["base_state"].startswith("HOLD, disarmed") and record["reason"] is None
    assert summary["wp_speed"] == "restored to 2" and t.sim.params["WP_SPEED"] == 2.0  # as shipped
    aisle = [s for _, x, y, s in t.ground if 0.3 < x < 1.7 and abs(y) < 0.1]  # dock-reception
    assert aisle and max(aisle) <= 0.5 * 1.02  # that edge's cap
    assert max(s for *_, s in t.ground) <= 0.8 * 1.02  # the tour's cap
    assert max(aisle) > 0.4  # and it did drive, not crawl


def test_controller_emits_presentations_in_every_language(tour: Callable[..., Tour]) -> None:
    t = tour("express").start()
    t.wait()
    shown = [e.data for e in t.events if e.kind == "presentation"]
    assert [d["location"] for d in shown] == ["city_dashboard", "poc_showcase"]
    assert shown[0]["text"] == shown[0]["texts"]["zh-HK"] and shown[0]["texts"]["zh-CN"]


@pytest.mark.slow
def test_controller_completes_on_a_noisy_line_and_never_acts_on_garbage(
        tour: Callable[..., Tour]) -> None:
    t = tour("express", faults=Faults(drop_rate=0.01, corrupt_rate=0.05, seed=5),
             link={"ack_timeout": 0.1, "heartbeat_period": 0.2}, time_scale=10,
             rates={}).start()  # the firmware's 1 Hz streams: no extra bytes on a bad line
    summary = t.wait()
    assert summary["status"] == "completed" and visited(summary) == EXPRESS, summary["reason"]
    sent = set(t.base.link.sent_commands)
    assert t.sim.log and all(entry.what in sent for entry in t.sim.log)
    counters = summary["counters"]
    assert counters["crc_errors"] > 0 and counters["seq_gaps"] > 0 and counters["retries"] > 0
    assert t.sim.codec.counters.crc_errors > 0


def test_controller_rides_out_a_cut_longer_than_the_failsafe_timeout(
        tour: Callable[..., Tour]) -> None:
    """Heartbeats both ways at 5 Hz and the GCS failsafe at 0.6 s: a 2 s cut is lost, held by
    the base's failsafe and recovered, as a 5 s cut is at the firmware's 1 Hz and 5 s."""
    t = tour("express", time_scale=10, gcs_timeout=0.6,
             link={"heartbeat_period": 0.2, "base_heartbeat_period": 0.2})
    t.when(lambda e: e.kind == "state" and e.state == "navigating" and t.sim.vehicle.x > 0,
           lambda: t.sim.faults.cut(2.0))
    summary = t.start().wait()
    assert summary["status"] == "completed" and summary["link_losses"] >= 1
    assert any("GCS heartbeat lost" in text for text in t.sim.statustexts)  # set on connect
    kinds = t.kinds()
    assert kinds.index("link_lost") < kinds.index("link_restored")
    back = t.first("link_restored")
    assert any(e.at > back and e.what[1] == mav.CMD_DO_CHANGE_SPEED and e.outcome == "ACCEPTED"
               for e in t.sim.log if e.what[0] == "COMMAND_LONG")  # the limit was sent again
    after = [speed for at, _, _, speed in t.ground if at > back]
    assert after and max(after) <= 1.0 * 1.02  # the express tour's cap, as the base reports


def test_controller_estop_disarms_and_waits_for_an_operator(tour: Callable[..., Tour]) -> None:
    t = tour("express", time_scale=2).start()
    assert eventually(lambda: t.sim.vehicle.odometer > 0.3 and t.sim.armed)  # moving
    t.controller.post("estop")
    assert eventually(lambda: t.controller.state == "estopped" and not t.sim.armed, 30)
    assert any("forced" in text for text in t.sim.statustexts)
    t.fast_forward()
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
    t = tour("express")
    t.when(lambda e: e.kind == "state" and e.state == "navigating",
           lambda: t.controller.post("skip"))
    summary = t.start().wait()
    assert [s["status"] for s in summary["stops"]] == ["skipped", "visited"]


def test_controller_link_loss_holds_the_base(tour: Callable[..., Tour]) -> None:
    """The controller itself asks for HOLD when heartbeats stop but the line still carries."""
    t = tour("express")
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
    t = tour("express", tours=impatient, vehicle=Vehicle(obstacles=[wall]))
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


def test_controller_follows_the_map_frame_against_the_base_origin(tour: Callable[..., Tour],
                                                                 tmp_path: Path) -> None:
    """The base's origin 2 m south-west of the dock, its north 0.5 rad off the map's x axis."""
    shifted = tmp_path / "lab.yaml"
    shifted.write_text(SHIPPED.read_text(encoding="utf-8").replace(
        "units: m\n", "units: m\nframe: [2.0, 1.0, 0.5]\n"), encoding="utf-8")
    t = tour("express", tours=shifted, vehicle=Vehicle(x=2.0, y=1.0))
    dashboard = []
    t.when(lambda e: e.kind == "presentation", lambda: dashboard.append(t.base.position()))
    summary = t.start().wait()
    assert summary["status"] == "completed" and summary["dock_offset_m"] <= 0.15
    assert math.hypot(t.sim.vehicle.x - 2.0, t.sim.vehicle.y - 1.0) <= 0.15  # the dock, in base terms
    assert dashboard[0].distance(6.0, 1.5) < 1.5  # the city dashboard, in map terms (standoff 0.8)


def test_frame_converts_both_ways() -> None:
    frame = Frame(2.0, 1.0, 0.5)
    north, east = frame.to_base(3.0, -1.0)
    assert frame.to_map(north, east) == pytest.approx((3.0, -1.0))
    assert frame.to_base(0.0, 0.0) == (2.0, 1.0)
