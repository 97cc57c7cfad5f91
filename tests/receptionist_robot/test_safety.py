"""Safety on the simulator: stops nobody commanded, what a tour leaves the base in, speed limits,
readiness and the base's own failsafe."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from receptionist_robot import mav
from receptionist_robot.base import Base
from receptionist_robot.controller import TourController
from receptionist_robot.errors import BaseNotReady, CommandRejected, SafetyStop
from receptionist_robot.safety import Guard, SafetyConfig
from receptionist_robot.simulator import Faults, SimBase, Vehicle
from receptionist_robot.store import TourRecords
from receptionist_robot.tours import load_tours
from tests.receptionist_robot.touring import FAST, SHIPPED, Tour, visited
from tests.support.waiting import eventually

TourMaker = Callable[..., Tour]


def arms(sim: SimBase, after: float = 0.0) -> list[float]:
    return [e.at for e in sim.log if e.what[:3] == ("COMMAND_LONG", mav.CMD_ARM_DISARM, 1.0)
            and e.at > after]


def moving(t: Tour) -> Callable[[], bool]:
    return lambda: t.sim.armed and t.sim.vehicle.odometer > 0.5 and t.controller.state == "navigating"


@pytest.mark.parametrize(("kind", "value", "reason"), [
    ("armed", False, "disarmed by someone else"),
    ("armed", True, "armed by someone else"),
    ("mode", "MANUAL", "mode changed to MANUAL by someone else"),
])
def test_guard_trips_on_what_we_did_not_command(kind: str, value: object, reason: str) -> None:
    guard, tripped = Guard(modes={"GUIDED"}, armed={not value if kind == "armed" else True}), []
    guard.listeners.append(tripped.append)
    guard.observe(value if kind == "mode" else "GUIDED", value if kind == "armed" else True)
    assert tripped == [reason] and guard.tripped == reason


def test_guard_allows_both_states_while_a_command_is_unanswered() -> None:
    guard = Guard(modes={"GUIDED"}, armed={True})
    with pytest.raises(TimeoutError), guard.commanding("modes", "HOLD"):
        raise TimeoutError
    guard.observe("HOLD", True)
    guard.observe("GUIDED", True)
    assert guard.tripped is None and guard.modes == {"GUIDED", "HOLD"}


def test_guard_allows_what_the_base_showed_while_its_first_command_is_in_flight() -> None:
    """Nothing commanded yet: the heartbeat that comes while the first arm or mode command is
    on its way still shows the state before it (on a noisy line that can take retries)."""
    guard = Guard()
    guard.observe("HOLD", False)
    with guard.commanding("armed", True), guard.commanding("modes", "GUIDED"):
        guard.observe("HOLD", False)
    assert guard.tripped is None
    guard.observe("GUIDED", True)
    guard.observe("HOLD", True)
    assert guard.tripped == "mode changed to HOLD by someone else"


def test_guard_keeps_the_old_mode_until_a_heartbeat_shows_the_acknowledged_one() -> None:
    """A late acknowledgement of an earlier copy of DO_SET_MODE (HOLD) can answer the next
    one (GUIDED) before the base has it: the base still showing HOLD is no e-stop."""
    guard = Guard(modes={"GUIDED"}, armed={True})
    with guard.commanding("modes", "HOLD"):
        pass
    guard.observe("GUIDED", True)  # sent before the base took HOLD
    with guard.commanding("modes", "GUIDED"):
        pass
    guard.observe("HOLD", True)
    assert guard.tripped is None and guard.modes == {"GUIDED", "HOLD"}
    guard.observe("GUIDED", True)
    assert guard.modes == {"GUIDED"}
    guard.observe("HOLD", True)
    assert guard.tripped == "mode changed to HOLD by someone else"


def test_guard_a_new_command_is_not_narrowed_by_the_last_ones_heartbeat() -> None:
    guard = Guard(modes={"GUIDED"}, armed={True})
    with guard.commanding("modes", "HOLD"):
        pass
    with guard.commanding("modes", "GUIDED"):
        guard.observe("HOLD", True)  # the base took the HOLD; GUIDED is on its way
        assert guard.modes == {"GUIDED", "HOLD"}
    guard.observe("GUIDED", True)
    assert guard.tripped is None


def test_safety_outside_disarm_mid_leg_stops_the_tour_and_nothing_rearms(tour: TourMaker,
                                                                         db_url: str) -> None:
    t = tour("express", time_scale=2).start()
    assert eventually(moving(t))
    disarmed_at = t.sim.log[-1].at if t.sim.log else 0.0
    assert t.sim.outside(mav.CMD_ARM_DISARM, 0, mav.FORCE_DISARM) == mav.ACCEPTED
    assert eventually(lambda: t.controller.state == "estopped")
    frames = t.base.link.codec.counters.frames
    assert eventually(lambda: t.base.link.codec.counters.frames > frames + 60)  # seconds pass
    assert not t.sim.armed and arms(t.sim, disarmed_at) == []
    with pytest.raises(SafetyStop, match="disarmed by someone else"):
        t.base.arm()
    t.controller.post("abort", reason="test over")
    summary = t.wait()
    assert summary["estops"] == 1 and "e-stop: disarmed by someone else" in summary["reason"]
    record = TourRecords(db_url).get(summary["tour_id"])
    assert record["status"] == "aborted" and "disarmed by someone else" in record["reason"]
    assert t.sim.params["WP_SPEED"] == 2.0  # the tour's 0.5 cap undone


def test_safety_outside_mode_change_is_an_estop_until_reset_then_the_tour_finishes(
        tour: TourMaker) -> None:
    t = tour("express", time_scale=2).start()
    assert eventually(moving(t))
    t.sim.outside(mav.CMD_DO_SET_MODE, 1, mav.MODES["MANUAL"])
    assert eventually(lambda: t.controller.state == "estopped" and not t.sim.armed)
    t.fast_forward()
    t.controller.post("reset")
    t.controller.post("resume")
    summary = t.wait()
    assert summary["status"] == "completed" and summary["estops"] == 1
    assert visited(summary) == ["city_dashboard", "poc_showcase"]


@pytest.mark.parametrize("state", ["presenting", "returning"])
def test_safety_estop_reset_resume_from_any_state_finishes_the_tour(tour: TourMaker,
                                                                    state: str) -> None:
    t = tour("express", dwell_scale=0.05)  # presentations of 0.5 s, interrupted at their start
    t.when(lambda e: e.kind == "state" and e.state == state, lambda: t.controller.post("estop"))
    t.start()
    # an operator resets once the base's own heartbeat says it is disarmed: a heartbeat sent
    # before the e-stop and read after the reset would be "armed by someone else"
    assert eventually(lambda: t.controller.state == "estopped" and not mav.is_armed(
        t.base.link.latest("HEARTBEAT")), what="the base reporting the e-stop")
    t.controller.post("reset")
    t.controller.post("resume")
    summary = t.wait()
    assert summary["status"] == "completed" and summary["estops"] == 1
    assert visited(summary) == ["city_dashboard", "poc_showcase"]
    assert not t.sim.armed and math.hypot(t.sim.vehicle.x, t.sim.vehicle.y) <= 0.15


def test_safety_two_tours_back_to_back_on_one_base_both_complete(
        make_sim: Callable[..., SimBase], db_url: str) -> None:
    sim = make_sim(time_scale=FAST)
    base = Base.connect(sim.url, timeout=30)
    try:
        for _ in range(2):
            controller = TourController(base, load_tours(SHIPPED), "express", "en",
                                        TourRecords(db_url), 0, SafetyConfig(disarm_after=1))
            summary = controller.run()
            assert summary["status"] == "completed" and len(visited(summary)) == 2
    finally:
        base.close()
    assert not sim.armed and sim.mode == mav.MODES["HOLD"]


def test_safety_a_refused_speed_is_a_warning_and_the_tour_goes_on(tour: TourMaker) -> None:
    # 10x simulated time, not 40x: DO_CHANGE_SPEED goes once the base is seen driving a leg,
    # and at 40x on a loaded machine (stress-ng) both legs ended before a tick saw that
    t = tour("express", time_scale=10, faults=Faults(refuse={mav.CMD_DO_CHANGE_SPEED}, read_only={"WP_SPEED"}))
    summary = t.start().wait()
    warnings = [e.data["error"] for e in t.events if e.kind == "speed_warning"]
    assert summary["status"] == "completed" and len(visited(summary)) == 2
    assert any("WP_SPEED" in w for w in warnings) and any("DO_CHANGE_SPEED" in w for w in warnings)


def test_safety_a_refused_speed_with_a_hard_limit_stops_safely(tour: TourMaker,
                                                                db_url: str) -> None:
    t = tour("express", faults=Faults(refuse={mav.CMD_DO_CHANGE_SPEED}),
             safety=SafetyConfig(disarm_after=1.0, speed_limit="hard"))
    summary = t.start().wait()
    assert summary["status"] == "fault" and "speed limit refused" in summary["reason"]
    assert t.sim.mode == mav.MODES["HOLD"] and not t.sim.armed
    record = TourRecords(db_url).get(summary["tour_id"])
    assert record["status"] == "fault" and record["base_state"] == "HOLD, disarmed"
    assert summary["wp_speed"] == "restored to 2" and t.sim.params["WP_SPEED"] == 2.0


def test_safety_do_change_speed_refused_before_the_first_target_and_the_tour_goes_on(
        make_sim: Callable[..., SimBase], db_url: str) -> None:
    sim = make_sim(time_scale=FAST)
    base = Base.connect(sim.url, timeout=30)
    try:
        base.start_driving()
        with pytest.raises(CommandRejected, match="DO_CHANGE_SPEED: FAILED"):
            base.set_speed(0.5)  # what the old controller did, and what real firmware refuses
        summary = TourController(base, load_tours(SHIPPED), "express", "en", TourRecords(db_url),
                                 0, SafetyConfig(disarm_after=1)).run()
    finally:
        base.close()
    assert summary["status"] == "completed" and len(visited(summary)) == 2
    taken = [e for e in sim.log if e.what[1] == mav.CMD_DO_CHANGE_SPEED and e.outcome == "ACCEPTED"]
    assert len(taken) >= 2  # per leg, once each target was being driven to


# The speed caps in the base's reported ground speed: checked on the shipped tour in
# test_controller.py (test_controller_completes_the_shipped_tour_within_its_speed_caps_and_docks).


def test_safety_refuses_to_tour_without_a_failsafe_when_told_to(tour: TourMaker) -> None:
    t = tour("express", safety=SafetyConfig(failsafe="refuse"))
    summary = t.start().wait()
    assert summary["status"] == "refused" and "FS_GCS_ENABLE=0" in summary["reason"]
    assert t.sim.params["FS_GCS_ENABLE"] == 0 and arms(t.sim) == []


def test_safety_sets_the_failsafe_on_connect_by_default(tour: TourMaker) -> None:
    t = tour("express", safety=SafetyConfig(disarm_after=1.0))
    t.when(lambda e: e.kind == "failsafe", lambda: t.controller.post("abort", reason="seen"))
    assert t.start().wait()["status"] == "aborted"  # before it moved: only the failsafe matters
    assert t.sim.params["FS_GCS_ENABLE"] == 1 and t.sim.params["FS_ACTION"] == 2
    assert any(e.kind == "failsafe" and "set FS_GCS_ENABLE=1" in e.data["settings"]
               for e in t.events)


def test_safety_waits_for_readiness_with_progress_and_arms_at_most_once_a_second(
        make_sim: Callable[..., SimBase]) -> None:
    sim = make_sim(ready_after=60)
    lines: list[str] = []
    with pytest.raises(BaseNotReady, match="not ready after 1 s: "):
        Base.connect(sim.url, timeout=1, progress=lines.append)
    assert lines and all(line.startswith("waiting for the base: ") for line in lines)
    now = [100.0]
    base = Base(Base.connect(sim.url, timeout=10, ready=False).link, clock=lambda: now[0])
    try:
        for _ in range(20):
            with pytest.raises(CommandRejected):
                base.arm()
        now[0] += 1.0
        with pytest.raises(CommandRejected):
            base.arm()
        assert len(arms(sim)) == 2 and any("PreArm" in text for text in sim.statustexts)
    finally:
        base.close()


def test_safety_car_like_base_completes_and_reports_its_dock_offset(tour: TourMaker) -> None:
    t = tour("express", vehicle=Vehicle(steering="car_like", turn_radius=0.8),
             safety=SafetyConfig(disarm_after=1.0, steering="car_like"))
    summary = t.start().wait()
    assert summary["status"] == "completed" and len(visited(summary)) == 2
    offset = math.hypot(t.sim.vehicle.x, t.sim.vehicle.y)
    assert summary["dock_offset_m"] == pytest.approx(offset, abs=0.05)
    assert not t.sim.armed
    reported = [e.data["offset"] for e in t.events if e.kind == "dock_offset"]
    assert reported == ([round(summary["dock_offset_m"], 2)] if offset > 0.15 else [])


def test_safety_car_like_base_circling_short_of_the_dock_docks_where_it_is_and_says_how_far(
        tour: TourMaker, tmp_path: Path) -> None:
    """A turning circle wider than the dock's approach: the base would circle the dock for ever;
    after the map's stop_timeout on the last leg home it holds, disarms and reports the gap."""
    tours = tmp_path / "tours.yaml"
    tours.write_text(SHIPPED.read_text(encoding="utf-8").replace("stop_timeout: 180", "stop_timeout: 4"),
                     encoding="utf-8")
    t = tour("express", tours=tours, vehicle=Vehicle(steering="car_like", turn_radius=1.6),
             safety=SafetyConfig(disarm_after=1.0, steering="car_like"))
    summary = t.start().wait()
    assert summary["status"] == "completed" and not t.sim.armed
    offset = math.hypot(t.sim.vehicle.x, t.sim.vehicle.y)
    assert summary["dock_offset_m"] == pytest.approx(offset, abs=0.05)


def test_safety_a_stop_counts_as_reached_facing_its_exhibit(tour: TourMaker) -> None:
    t = tour("express")
    faced: list[float | None] = []
    t.when(lambda e: e.kind == "presentation", lambda: faced.append(t.base.heading()))
    summary = t.start().wait()
    assert summary["status"] == "completed" and faced and faced[0] is not None
    assert abs(math.remainder(faced[0] - 1.57, math.tau)) <= 0.35  # the city dashboard's yaw
