"""One test per row of docs/robot.md's table of firmware rules (ArduPilot Rover, ROBOT_LINK.md).

Runs against our simulator, or any base at SMARTLAB_ROBOT_CONFORMANCE_URL. Nothing here
reads the simulator's insides: each rule is judged by what comes back over MAVLink.
"""

from __future__ import annotations

import math

import pytest

from receptionist_robot import mav
from receptionist_robot.base import Base, Pose
from receptionist_robot.errors import CommandRejected
from receptionist_robot.simulator import PtyEndpoint, SimBase, SimConfig
from tests.receptionist_robot.conformance.conftest import Endpoint, leave_safe
from tests.support.waiting import eventually

SLOW = 0.5  # m/s: WP_SPEED for every test that moves the base
UNKNOWN_COMMAND = 31999


def ahead(base: Base, metres: float) -> Pose:
    here = base.position()
    return Pose(here.x + metres, here.y)


def reports(base: Base, n: int) -> None:
    """Wait for `n` more position reports: time passing, as the base counts it."""
    seen = [0]
    base.link.subscribe(lambda m: seen.__setitem__(0, seen[0] + (m.get_type() == "LOCAL_POSITION_NED")))
    assert eventually(lambda: seen[0] >= n, what=f"{n} LOCAL_POSITION_NED reports")


def driving(base: Base, metres: float = 4.0) -> Pose:
    base.set_cruise(SLOW)
    base.start_driving()
    goal = ahead(base, metres)
    base.goto(goal.x, goal.y)
    assert eventually(base.moving, what="the base moving in GUIDED")
    return goal


def test_rule_heartbeat_is_a_ground_rover_on_ardupilot(base: Base) -> None:
    hb = base.link.latest("HEARTBEAT")
    assert hb is not None and (hb.type, hb.autopilot) == (mav.TYPE_GROUND_ROVER,
                                                          mav.AUTOPILOT_ARDUPILOTMEGA)
    assert (hb.get_srcSystem(), hb.get_srcComponent()) == (1, 1)


def test_rule_every_command_long_is_acknowledged_unknown_ones_unsupported(base: Base) -> None:
    assert base.link.command(mav.CMD_SET_MESSAGE_INTERVAL, 0, 1e6) == mav.ACCEPTED
    with pytest.raises(CommandRejected) as refused:
        base.link.command(UNKNOWN_COMMAND)
    assert refused.value.result == mav.UNSUPPORTED


def test_rule_arming_is_refused_until_the_position_estimate_is_ready(endpoint: Endpoint) -> None:
    if endpoint.sim is None:
        pytest.skip("needs a base that has just powered up; an outside base is already ready")
    sim = SimBase(PtyEndpoint(), config=SimConfig(ready_after=600)).start()
    base = Base.connect(sim.url, timeout=10, ready=False)
    try:
        with pytest.raises(CommandRejected, match="FAILED"):
            base.arm()
        assert eventually(lambda: base.telemetry.prearm_ok is False, what="SYS_STATUS pre-arm bit")
        assert eventually(lambda: any("PreArm" in t for t in base.telemetry.texts))
        assert base.link.latest("LOCAL_POSITION_NED") is None  # no origin, no local position
    finally:
        base.close()
        sim.stop()


def test_rule_do_change_speed_fails_in_hold(base: Base) -> None:
    base.hold()
    with pytest.raises(CommandRejected, match="FAILED"):
        base.set_speed(SLOW)


def test_rule_do_change_speed_fails_entering_guided_and_is_taken_once_driving(base: Base) -> None:
    base.start_driving()
    with pytest.raises(CommandRejected, match="FAILED"):
        base.set_speed(SLOW)
    driving(base)
    base.set_speed(SLOW)


def test_rule_position_target_is_ignored_outside_guided(base: Base) -> None:
    base.hold()
    base.arm()
    start, goal = base.position(), ahead(base, 3.0)
    base.goto(goal.x, goal.y)
    reports(base, 10)
    assert base.arrived(start, 0.05)


def test_rule_position_target_without_acceleration_ignore_bits_is_ignored(base: Base) -> None:
    base.start_driving()
    start, goal = base.position(), ahead(base, 3.0)
    msg = mav.position_target(base.link.config.target, goal.x, goal.y, None)
    msg.type_mask &= ~0x1C0
    base.link.send(msg)
    reports(base, 10)
    assert base.arrived(start, 0.05)


def test_rule_arrival_sends_mission_item_reached_short_of_the_target(base: Base) -> None:
    before = base.telemetry.arrivals
    goal = driving(base, 2.0)
    assert eventually(lambda: base.telemetry.arrivals > before, what="MISSION_ITEM_REACHED")
    assert base.link.latest("MISSION_ITEM_REACHED").seq == 0
    assert eventually(lambda: not base.moving(), what="the base standing")
    here = base.position()
    assert 0.05 <= goal.distance(here.x, here.y) <= 0.5


def test_rule_parameters_are_read_and_set_through_param_value(base: Base) -> None:
    found = base.params.get("WP_SPEED")
    assert base.params.set("WP_SPEED", SLOW) == pytest.approx(SLOW, abs=1e-3)
    assert base.params.get("WP_SPEED") == pytest.approx(SLOW, abs=1e-3)
    assert found > 0


def test_rule_wp_speed_caps_the_ground_speed_in_guided(base: Base) -> None:
    speeds: list[float] = []
    base.link.subscribe(lambda m: speeds.append(math.hypot(m.vx, m.vy))
                        if m.get_type() == "LOCAL_POSITION_NED" else None)
    driving(base, 3.0)
    reports(base, 10)
    assert max(speeds) <= SLOW * 1.05 and max(speeds) > SLOW * 0.5


def test_rule_forced_disarm_stops_a_moving_base(base: Base) -> None:
    driving(base)
    base.estop()
    assert eventually(lambda: base.link.latest("HEARTBEAT").base_mode & mav.ARMED_FLAG == 0)
    assert eventually(lambda: math.hypot(base.telemetry.vx, base.telemetry.vy) < 0.05)


def test_rule_gcs_failsafe_holds_once_enabled_and_our_heartbeat_stops(endpoint: Endpoint) -> None:
    quiet = Base.connect(endpoint.url, timeout=90, heartbeat_period=3600.0)  # one heartbeat
    wp_speed = quiet.params.get("WP_SPEED")
    try:
        quiet.params.set("FS_GCS_ENABLE", 1)
        quiet.params.set("FS_ACTION", 2)
        driving(quiet, 5.0)
        assert eventually(lambda: quiet.link.latest("HEARTBEAT").custom_mode == mav.MODES["HOLD"],
                          what="the failsafe's HOLD")
    finally:
        leave_safe(quiet, wp_speed)


