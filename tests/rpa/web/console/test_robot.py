"""The robot page against the simulated base on a real loopback TCP port (the same URL seam
as the real serial line), in real Chromium: status, tours started from the page with the live
map following the base, pause / resume / stop, e-stop in one click, and the event stream."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from receptionist_robot.console.desk import DWELL_ENV, ROBOT_ENV, TOUR_MAP_ENV
from receptionist_robot.mav import CMD_ARM_DISARM, FORCE_DISARM
from receptionist_robot.simulator import Faults, SimBase, SimConfig, TcpEndpoint, Vehicle
from receptionist_robot.store import tours
from rpa.audit import entries
from tests.receptionist_robot.console.corner import write_corner
from tests.rpa.web.console.browsing import Server, shot, sign_in
from tests.support.axe import violations

TOUR_SECONDS = 20_000  # ms a whole short tour may take on a busy machine


@pytest.fixture
def robot(console: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SimBase]:
    """A base on loopback; the page builds its desk from the environment on first use."""
    _forget_desk(console)  # an earlier page may have made one from a robot-less environment
    sim = SimBase(TcpEndpoint(), Vehicle(), SimConfig(ready_after=0.2, time_scale=2), Faults(seed=7)).start()
    monkeypatch.setenv(ROBOT_ENV, sim.url)
    monkeypatch.setenv(TOUR_MAP_ENV, str(write_corner(tmp_path)))
    monkeypatch.setenv(DWELL_ENV, "0.1")
    yield sim
    _forget_desk(console)  # every line closed before the base goes: nothing left reconnecting
    sim.stop()


def _forget_desk(console: Server) -> None:
    """Close the app's desk and drop it; the next page makes a new one from the environment."""
    link = getattr(console.app.state, "robot", None)
    if link is not None:
        link.close()
        del console.app.state.robot


def _open(page: Page, console: Server) -> None:
    sign_in(page, console.url, "clerk")
    page.goto(f"{console.url}/console/robot")
    expect(page.get_by_test_id("robot-state")).to_contain_text("Connected")


def _start(page: Page, tour: str = "short") -> None:
    page.get_by_label("Tour", exact=True).select_option(tour)
    page.get_by_role("button", name="Start tour").click()


def _forced_disarms(sim: SimBase) -> list[str]:
    return [c.outcome for c in sim.log if c.what[:4] == ("COMMAND_LONG", CMD_ARM_DISARM, 0, FORCE_DISARM)]


def _last_tour(console: Server) -> tuple[str, str] | None:
    query = select(tours.c.tour, tours.c.status).order_by(tours.c.started_at.desc()).limit(1)
    with console.app.state.store.engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else (row.tour, row.status)


def _actions(console: Server, n: int) -> list[str]:
    return [e.action for e in reversed(entries(console.app.state.store.engine, n))]


def test_console_robot_estop_forces_a_disarm(console: Server, robot: SimBase, page: Page) -> None:
    _open(page, console)
    shot(page, "robot-connected")
    page.get_by_role("button", name="Emergency stop").click()
    expect(page.get_by_test_id("robot-state")).to_contain_text("Connected")
    assert _forced_disarms(robot) == ["ACCEPTED"]
    assert _actions(console, 1) == ["robot.estop"]


def test_console_robot_tour_moves_the_marker_and_the_current_stop(console: Server, robot: SimBase,
                                                                  page: Page) -> None:
    _open(page, console)
    marker = page.get_by_test_id("robot-marker")
    start_x = marker.get_attribute("data-x")
    _start(page)
    expect(page.get_by_test_id("current-stop")).to_have_text("Front desk")
    expect(marker).not_to_have_attribute("data-x", start_x or "")
    expect(page.get_by_test_id("current-stop")).to_have_text("Big screen")
    expect(page.locator("svg g[data-location='screen']")).to_have_attribute("data-status", "current")
    expect(page.locator("svg g[data-location='desk']")).to_have_attribute("data-status", "done")
    shot(page, "robot-tour-map")
    assert violations(page) == []  # WCAG 2.1 A/AA (axe-core)
    expect(page.get_by_test_id("tour-state")).to_have_attribute("data-state", "docked", timeout=TOUR_SECONDS)
    expect(page.get_by_test_id("tour-outcome")).to_contain_text("Completed")
    assert _actions(console, 1) == ["robot.start"]
    assert _last_tour(console) == ("short", "completed")  # recorded in the store like the kiosk's


def test_console_robot_pause_then_resume_then_stop(console: Server, robot: SimBase, page: Page,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DWELL_ENV, "1")  # six seconds at the first stop: time to pause there
    _open(page, console)
    _start(page)
    state = page.get_by_test_id("tour-state")
    expect(state).to_have_attribute("data-state", "presenting", timeout=TOUR_SECONDS)
    page.get_by_role("button", name="Pause").click()
    expect(state).to_have_attribute("data-state", "paused")
    shot(page, "robot-tour-paused")
    _start(page)
    expect(page.get_by_test_id("robot-problem")).to_have_text("A tour is already running: stop it first.")
    page.get_by_role("button", name="Resume").click()
    expect(state).to_have_attribute("data-state", "presenting")
    page.get_by_role("button", name="Stop tour (return to dock)").click()
    expect(state).to_have_attribute("data-state", "docked", timeout=TOUR_SECONDS)
    assert _actions(console, 5) == ["robot.start", "robot.pause", "robot.start", "robot.resume", "robot.stop"]


def test_console_robot_estop_during_a_tour_holds_it_estopped(console: Server, robot: SimBase,
                                                             page: Page) -> None:
    _open(page, console)
    _start(page)
    state = page.get_by_test_id("tour-state")
    expect(state).to_have_attribute("data-state", re.compile("navigating|presenting"))
    page.get_by_role("button", name="Emergency stop").click()
    expect(state).to_have_attribute("data-state", "estopped")
    expect(page.get_by_test_id("robot-armed")).to_have_text("no")
    shot(page, "robot-tour-estopped")
    assert _forced_disarms(robot) and set(_forced_disarms(robot)) == {"ACCEPTED"}
    assert not robot.armed
    page.get_by_role("button", name="Reset e-stop").click()  # then home: the tour ends docked
    expect(state).to_have_attribute("data-state", "paused")
    page.get_by_role("button", name="Stop tour (return to dock)").click()
    expect(state).to_have_attribute("data-state", "docked", timeout=TOUR_SECONDS)


def test_console_robot_unknown_tour_is_a_one_line_error(console: Server, robot: SimBase, page: Page) -> None:
    _open(page, console)
    page.locator("select[name=tour]").evaluate("s => s.add(new Option('Nowhere', 'nowhere'))")
    _start(page, "nowhere")
    problem = page.get_by_test_id("robot-problem")
    expect(problem).to_have_text("No tour named 'nowhere' on this map.")
    expect(page.get_by_test_id("tour-state")).to_have_attribute("data-state", "none")
    assert "Traceback" not in page.content()
    shot(page, "robot-unknown-tour")


def test_console_robot_page_without_a_base_refuses_a_tour(console: Server, page: Page, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _forget_desk(console)
    monkeypatch.setenv(ROBOT_ENV, "socket://127.0.0.1:9")  # the discard port: nobody answers
    monkeypatch.setenv(TOUR_MAP_ENV, str(write_corner(tmp_path)))
    sign_in(page, console.url, "clerk")
    try:
        page.goto(f"{console.url}/console/robot")
        expect(page.get_by_test_id("robot-state")).to_contain_text("not connected")
        _start(page)
        expect(page.get_by_test_id("robot-problem")).to_have_text("The robot is not connected.")
    finally:
        _forget_desk(console)


def test_console_robot_events_stream_a_change(console: Server, robot: SimBase, page: Page) -> None:
    _open(page, console)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    url = f"{console.url}/console/robot/events"
    assert httpx.get(url, follow_redirects=False).status_code == 303  # signed out: to sign-in
    with httpx.Client(cookies=cookies, timeout=10) as client, client.stream("GET", url) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        assert _next_change(lines)  # what the page shows now
        console.app.state.robot.get().arm()  # the base changes: a change follows
        assert _next_change(lines)


def _next_change(lines: Iterator[str]) -> bool:
    return any(line == "event: change" for line in lines)


def test_console_robot_skip_and_go_to_a_stop(console: Server, robot: SimBase, page: Page,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DWELL_ENV, "1")  # six seconds at each stop: time to act there
    _open(page, console)
    _start(page)
    state = page.get_by_test_id("tour-state")
    expect(state).to_have_attribute("data-state", "presenting", timeout=TOUR_SECONDS)
    page.get_by_role("button", name="Skip this stop").click()
    expect(page.get_by_test_id("current-stop")).to_have_text("Big screen")
    expect(page.locator(".robot-stops li[data-location='desk']")).to_contain_text("skipped")
    page.get_by_label("Go to stop").select_option("desk")
    page.get_by_role("button", name="Go", exact=True).click()
    expect(page.get_by_test_id("current-stop")).to_have_text("Front desk")
    page.get_by_role("button", name="Stop tour (return to dock)").click()
    expect(state).to_have_attribute("data-state", "docked", timeout=TOUR_SECONDS)
    assert _actions(console, 4) == ["robot.start", "robot.skip", "robot.goto", "robot.stop"]


def test_console_robot_go_to_a_stop_without_a_tour_is_refused(console: Server, robot: SimBase, page: Page) -> None:
    _open(page, console)
    csrf = page.locator("input[name=csrf]").first.get_attribute("value") or ""
    response = page.request.post(f"{console.url}/console/robot/goto", form={"location": "desk", "csrf": csrf})
    assert response.status == 409 and "No tour is running." in response.text()
