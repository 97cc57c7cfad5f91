from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from receptionist_robot import mav
from receptionist_robot.errors import SimulatorError
from receptionist_robot.link import Link
from receptionist_robot.params import Params
from receptionist_robot.simulator import Faults, Obstacle, SimBase, Vehicle, listen
from tests.support.waiting import eventually


def test_vehicle_respects_its_speed_limit_and_stops_short() -> None:
    v = Vehicle(speed_limit=1.0)
    v.target = (5.0, 0.0, 1.0)
    v.step(1.0, moving=True)
    assert v.x == pytest.approx(1.0)
    for _ in range(10):
        v.step(1.0, moving=True)
    assert 4.7 <= v.x <= 4.8 and v.target is None and v.yaw == 1.0


def test_vehicle_commanded_speed_never_exceeds_the_limit() -> None:
    v = Vehicle(speed_limit=1.0, commanded_speed=3.0)
    v.target = (5.0, 0.0, None)
    v.step(1.0, moving=True)
    assert v.x == pytest.approx(1.0)


def test_vehicle_does_not_move_when_not_moving() -> None:
    v = Vehicle()
    v.target = (5.0, 0.0, None)
    v.step(1.0, moving=False)
    assert (v.x, v.y) == (0.0, 0.0)


def test_vehicle_drains_battery_with_distance() -> None:
    v = Vehicle(drain_per_m=1.0, drain_per_s=0.0)
    v.target = (10.0, 0.0, None)
    v.step(2.0, moving=True)
    assert v.battery == pytest.approx(100 - 2 * 1.8)


def test_vehicle_waits_for_a_scripted_obstacle_to_clear() -> None:
    v = Vehicle(obstacles=[Obstacle(2.0, 0.0, 0.3, start=0.0, end=5.0)])
    v.target = (4.0, 0.0, None)
    for _ in range(40):
        v.step(0.1, moving=True)
    assert v.blocked and v.x < 2.0 - 0.3 and v.obstacle_distance() < 0.7
    for _ in range(30):
        v.step(0.1, moving=True)
    assert v.x > 3.0


def test_vehicle_a_long_step_never_jumps_an_obstacle() -> None:
    """A high time scale or a late tick hands the body many simulated seconds at once."""
    v = Vehicle(obstacles=[Obstacle(2.0, 0.0, 0.3)])
    v.target = (4.0, 0.0, None)
    v.step(10.0, moving=True)
    assert v.blocked and v.x < 2.0 - 0.3


def test_faults_drop_and_flip_bytes_at_their_rates() -> None:
    data = bytes(10_000)
    dropped = Faults(drop_rate=0.1, seed=1).garble(data)
    flipped = Faults(corrupt_rate=0.05, seed=1).garble(data)
    assert 8_800 < len(dropped) < 9_200
    assert 400 < sum(b != 0 for b in flipped) < 600


def test_faults_cut_carries_nothing() -> None:
    faults = Faults()
    faults.cut(60)
    assert faults.garble(b"abc") == b""


def test_listen_rejects_a_bad_spec() -> None:
    with pytest.raises(SimulatorError, match="pty' or 'tcp:HOST:PORT"):
        listen("udp:1")


def test_sim_ignores_position_targets_unless_guided_and_armed(
        make_sim: Callable[..., SimBase], make_link: Callable[..., Link]) -> None:
    sim = make_sim()
    link = make_link(sim.url)
    link.wait_up(10)
    assert eventually(lambda: sim.ready)
    link.send(mav.position_target((1, 1), 3, 0, None))
    assert eventually(lambda: bool(sim.log))
    assert sim.log[-1].outcome == "IGNORED_NOT_GUIDED" and sim.vehicle.target is None


def test_sim_streams_at_the_rates_it_powers_up_with(make_sim: Callable[..., SimBase],
                                                   make_link: Callable[..., Link]) -> None:
    sim = make_sim(rates={"HEARTBEAT": 10.0, "ATTITUDE": 0.0})
    link = make_link(sim.url)
    beats: list[float] = []
    link.subscribe(lambda m: beats.append(m.get_type()) if m.get_type() in ("HEARTBEAT", "ATTITUDE") else None)
    assert eventually(lambda: beats.count("HEARTBEAT") >= 10)
    assert "ATTITUDE" not in beats


def test_sim_holds_when_the_ground_station_goes_quiet_once_the_failsafe_is_on(
        make_sim: Callable[..., SimBase], make_link: Callable[..., Link]) -> None:
    sim = make_sim(gcs_timeout=0.5)
    link = make_link(sim.url, heartbeat_period=0.1)
    link.wait_up(10)
    assert eventually(lambda: sim.ready)
    assert Params(link).set("FS_GCS_ENABLE", 1) == 1
    link.command(mav.CMD_DO_SET_MODE, 1, mav.MODES["GUIDED"])
    link.command(mav.CMD_ARM_DISARM, 1)
    link.send(mav.position_target((1, 1), 50, 0, None))
    assert eventually(lambda: sim.vehicle.x > 0.1)
    link.close()
    assert eventually(lambda: sim.mode == mav.MODES["HOLD"])
    x = sim.vehicle.x
    assert eventually(lambda: math.isclose(sim.vehicle.x, x)) and sim.vehicle.target is None
    assert any("GCS" in t for t in sim.statustexts)


def test_sim_stops_when_position_targets_stop_if_asked(
        make_sim: Callable[..., SimBase], make_link: Callable[..., Link]) -> None:
    sim = make_sim(target_timeout=0.3)
    link = make_link(sim.url)
    link.wait_up(10)
    assert eventually(lambda: sim.ready)
    link.command(mav.CMD_DO_SET_MODE, 1, mav.MODES["GUIDED"])
    link.command(mav.CMD_ARM_DISARM, 1)
    link.send(mav.position_target((1, 1), 50, 0, None))
    assert eventually(lambda: any("targets stopped" in t for t in sim.statustexts))
    assert sim.vehicle.target is None and sim.mode == mav.MODES["GUIDED"] and sim.armed
