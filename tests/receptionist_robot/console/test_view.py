"""What the robot page shows, from the shipped tour map and plain tour statuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from receptionist_robot.console.mapview import MapView, Place, Robot
from receptionist_robot.console.view import current_stop, describe, map_view, names, planned_route, state_label
from receptionist_robot.tours import load_tours

SHIPPED = Path(__file__).parents[3] / "flows" / "tours" / "innovation_lab.yaml"
STOPS = [{"location": "city_dashboard", "name": "City Dashboard"},
         {"location": "poc_showcase", "name": "Proof-of-concept showcase"}]


def _tour(index: int, done: list[str], state: str = "navigating") -> dict[str, object]:
    return {"tour": "express", "state": state, "index": index, "stops": STOPS, "done": done,
            "running": True, "summary": None}


@pytest.mark.parametrize(("index", "done", "state", "current"), [
    (-1, [], "greeting", None),  # no stop yet
    (0, [], "navigating", "city_dashboard"),
    (1, ["city_dashboard"], "presenting", "poc_showcase"),
    (1, ["city_dashboard", "poc_showcase"], "returning", None),  # on the way home
    (0, ["city_dashboard", "poc_showcase"], "navigating", "city_dashboard"),  # sent back to a stop done
])
def test_view_current_stop_is_the_one_in_hand(index: int, done: list[str], state: str, current: str | None) -> None:
    assert current_stop(_tour(index, done, state)) == current


@pytest.mark.parametrize(("paused_from", "current"), [("navigating", "poc_showcase"), ("returning", None)])
def test_view_current_stop_while_paused_is_where_the_tour_was_going(paused_from: str, current: str | None) -> None:
    assert current_stop({**_tour(1, ["city_dashboard"], "paused"), "paused_from": paused_from}) == current


def test_view_names_put_the_viewers_language_first() -> None:
    texts = load_tours(SHIPPED).locations["gis"].names
    assert names(texts, "en") == ("Geospatial Information Systems", "地理空間訊息系統")
    assert names(texts, "zh") == ("地理空間訊息系統", "Geospatial Information Systems")


def test_view_planned_route_follows_the_aisles_from_dock_to_dock() -> None:
    route = planned_route(load_tours(SHIPPED), "express")
    assert route[0] == route[-1] == (0.0, 0.0)
    assert (2.0, 0.0) in route  # through reception, the only aisle from the dock
    assert len(route) >= 5


def test_view_map_of_a_running_tour_marks_its_stops_and_the_robot() -> None:
    view = map_view(load_tours(SHIPPED), _tour(1, ["city_dashboard"]), None, "zh")
    assert view.stops == ("city_dashboard", "poc_showcase") and view.current == "poc_showcase"
    assert view.title == "innovation_lab 平面圖" and view.robot is None
    assert "目前站點：概念驗證展示。" in view.desc


def test_view_describe_says_where_the_robot_is_and_where_it_heads() -> None:
    view = MapView("m", "", (Place("a", 1.0, 2.0, ("Alpha",)),), current="a", robot=Robot(1.25, 2.0, -1.5708))
    assert describe(view, "en") == "Robot at 1.2 m north, 2.0 m east. Heading 270°. Current stop: Alpha."


def test_view_state_label_in_both_languages_and_raw_when_unknown() -> None:
    assert state_label("estopped", "en") == "Emergency-stopped"
    assert state_label("estopped", "zh") == "已緊急停止"
    assert state_label("somewhere_new", "en") == "somewhere_new"
