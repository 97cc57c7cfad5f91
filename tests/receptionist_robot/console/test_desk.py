"""The console's desk against a simulated base on a real loopback TCP port: one line at a
time, tours handed the line and giving it back, refusals, and nothing left open at shutdown."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from receptionist_robot.console.desk import DWELL_ENV, ROBOT_ENV, TOUR_MAP_ENV, Refused, RobotLink, dwell_scale
from receptionist_robot.simulator import Faults, SimBase, SimConfig, TcpEndpoint, Vehicle
from rpa.web import create_app
from tests.receptionist_robot.console.corner import write_corner
from tests.support.waiting import eventually


@pytest.fixture
def sim() -> Iterator[SimBase]:
    base = SimBase(TcpEndpoint(), Vehicle(), SimConfig(ready_after=0.2, time_scale=10), Faults(seed=7)).start()
    yield base
    base.stop()


@pytest.fixture
def desk(sim: SimBase, tmp_path: Path) -> Iterator[RobotLink]:
    link = RobotLink(sim.url, write_corner(tmp_path), dwell_scale=0.0)
    yield link
    link.close()


@pytest.mark.parametrize(("text", "scale"), [(None, 1.0), ("", 1.0), ("0", 0.0), ("0.25", 0.25), ("3", 3.0)])
def test_desk_dwell_scale_takes_numbers_from_zero(text: str | None, scale: float) -> None:
    assert dwell_scale(text) == scale


@pytest.mark.parametrize("text", ["fast", "-1", "nan", "inf"])
def test_desk_dwell_scale_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match=DWELL_ENV):
        dwell_scale(text)


def test_desk_from_env_reads_url_map_and_scale_and_says_a_bad_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ROBOT_ENV, "socket://127.0.0.1:9")
    monkeypatch.setenv(TOUR_MAP_ENV, "elsewhere.yaml")
    monkeypatch.setenv(DWELL_ENV, "quick")
    link = RobotLink.from_env()
    assert (link.url, link.map_path, link.dwell_scale) == ("socket://127.0.0.1:9", Path("elsewhere.yaml"), 1.0)
    assert DWELL_ENV in link.setting_problem


@pytest.mark.parametrize(("tour", "lang", "key"), [("nowhere", "en", "robot_tour_unknown"),
                                                   ("short", "fr", "robot_tour_bad_lang")])
def test_desk_refuses_a_bad_tour_request(desk: RobotLink, tour: str, lang: str, key: str) -> None:
    with pytest.raises(Refused) as refused:
        desk.start(tour, lang)
    assert refused.value.key == key and not desk.touring


@pytest.mark.parametrize("command", ["resume", "stop", "reset"])
def test_desk_refuses_tour_commands_without_a_tour(desk: RobotLink, command: str) -> None:
    with pytest.raises(Refused) as refused:
        desk.command(command)
    assert refused.value.key == "robot_tour_none"


def test_desk_refuses_a_tour_when_the_base_does_not_answer(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    link = RobotLink(f"socket://127.0.0.1:{port}", write_corner(tmp_path))
    with pytest.raises(Refused) as refused:
        link.start("short", "en")
    assert refused.value.key == "robot_offline" and link.problem
    link.close()


def test_desk_refuses_a_map_it_cannot_read(sim: SimBase, tmp_path: Path) -> None:
    link = RobotLink(sim.url, tmp_path / "missing.yaml")
    with pytest.raises(Refused) as refused:
        link.start("short", "en")
    assert refused.value.key == "robot_tour_map_bad" and "missing.yaml" in str(refused.value.values["reason"])
    link.close()


def test_desk_hands_the_line_to_a_tour_and_takes_it_back(desk: RobotLink) -> None:
    own = desk.get()
    desk.start("short", "en")
    assert desk.touring and desk.get() is not own  # one line: ours was closed for the guide's
    with pytest.raises(Refused) as busy:
        desk.start("short", "en")
    assert busy.value.key == "robot_tour_busy"
    assert eventually(lambda: not desk.touring, 20.0)
    assert desk.tour_status("en")["summary"]["status"] == "completed"  # type: ignore[index]
    assert desk.get() is not None and desk.get().link.is_up  # type: ignore[union-attr]


def test_desk_closes_its_line_when_the_app_shuts_down(sim: SimBase, tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path)
    with TestClient(app):
        app.state.robot = link = RobotLink(sim.url, write_corner(tmp_path))
        assert link.get() is not None
    assert link.closed and link.base is None and link.get() is None
