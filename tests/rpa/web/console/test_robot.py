"""The robot page against the simulated base on a real loopback TCP port (the same URL seam
as the real serial line): status shown, e-stop in one click."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from receptionist_robot.console import RobotLink
from receptionist_robot.mav import CMD_ARM_DISARM, FORCE_DISARM
from receptionist_robot.simulator import Faults, SimBase, SimConfig, TcpEndpoint, Vehicle
from rpa.audit import entries
from tests.rpa.web.console.browsing import Server, shot, sign_in


@pytest.fixture
def robot(console: Server) -> Iterator[SimBase]:
    sim = SimBase(TcpEndpoint(), Vehicle(), SimConfig(ready_after=0.2), Faults(seed=7)).start()
    console.app.state.robot = RobotLink(sim.url)
    yield sim
    base = console.app.state.robot.base
    if base is not None:
        base.close()
    del console.app.state.robot  # later tests see the default: not connected
    sim.stop()


def test_console_robot_estop_forces_a_disarm(console: Server, robot: SimBase, page: Page) -> None:
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/robot")
    expect(page.get_by_test_id("robot-state")).to_contain_text("Connected")
    shot(page, "robot-connected")
    page.get_by_role("button", name="Emergency stop").click()
    expect(page.get_by_test_id("robot-state")).to_contain_text("Connected")
    forced = [c.outcome for c in robot.log if c.what[:4] == ("COMMAND_LONG", CMD_ARM_DISARM, 0, FORCE_DISARM)]
    assert forced == ["ACCEPTED"]
    assert [e.action for e in entries(console.app.state.store.engine, 1)] == ["robot.estop"]
