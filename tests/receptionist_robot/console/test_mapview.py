"""The robot page's map from plain data: places, route, current stop, robot and heading."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from receptionist_robot.console.mapview import MapView, Place, Robot, draw, status_of, unit, view_box

PLACES = (
    Place("dock", 0.0, 0.0, ("Dock", "充電座"), dock=True),
    Place("desk", 2.0, 0.0, ("Front desk", "接待處")),
    Place("screen", 2.0, 3.0, ("Big screen", "大屏幕")),
    Place("kiosk", 4.0, 1.0, ("Kiosk",)),
)
TOUR = MapView("Map of corner", "Robot at 1.0 m north.", PLACES, aisles=(("dock", "desk"), ("desk", "gone")),
               route=((0, 0), (2, 0), (2, 3), (0, 0)), stops=("desk", "screen"), current="screen",
               done=frozenset({"desk"}), robot=Robot(1.0, 0.5, math.pi / 2))


def _svg(view: MapView) -> ET.Element:
    return ET.fromstring(draw(view))


def _place(svg: ET.Element, key: str) -> ET.Element:
    found = svg.find(f".//g[@data-location='{key}']")
    assert found is not None
    return found


def test_mapview_has_title_and_desc_for_screen_readers() -> None:
    svg = _svg(TOUR)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "robot-map-title robot-map-desc"
    assert svg.findtext("title") == "Map of corner"
    assert svg.findtext("desc") == "Robot at 1.0 m north."


@pytest.mark.parametrize(("key", "status"), [("dock", "dock"), ("desk", "done"), ("screen", "current"),
                                             ("kiosk", "place")])
def test_mapview_marks_each_place_by_what_it_is_to_the_tour(key: str, status: str) -> None:
    assert status_of(key, TOUR) == status
    assert _place(_svg(TOUR), key).get("data-status") == status


def test_mapview_labels_every_place_in_both_languages_numbering_the_stops() -> None:
    svg = _svg(TOUR)
    lines = {key: [s.text for s in _place(svg, key).iter("tspan")] for key in ("dock", "screen", "kiosk")}
    assert lines == {"dock": ["Dock", "充電座"], "screen": ["2 · Big screen", "大屏幕"], "kiosk": ["Kiosk"]}


def test_mapview_puts_north_up_and_east_right() -> None:
    dot = _place(_svg(TOUR), "screen").find("circle[@class='dot']")
    assert dot is not None and (dot.get("cx"), dot.get("cy")) == ("3", "-2")


def test_mapview_draws_the_route_and_skips_an_aisle_to_an_unknown_place() -> None:
    svg = _svg(TOUR)
    route = svg.find(".//polyline[@data-testid='robot-route']")
    assert route is not None and route.get("points") == "0,0 0,-2 3,-2 0,0"
    assert len(svg.findall("./g[@class='aisles']/line")) == 1


def test_mapview_draws_the_robot_with_its_heading() -> None:
    marker = _svg(TOUR).find(".//g[@data-testid='robot-marker']")
    assert marker is not None
    assert (marker.get("data-x"), marker.get("data-y"), marker.get("data-heading")) == ("1.00", "0.50", "90")
    assert marker.get("transform") == "translate(0.5 -1) scale(0.333)"  # a 4 m map: a third of 12 m
    arrow = marker.find("path")
    assert arrow is not None and arrow.get("transform") == "rotate(90.0)"


def test_mapview_without_heading_or_robot_draws_no_arrow_or_marker() -> None:
    still = _svg(MapView("m", "d", PLACES, robot=Robot(0.0, 0.0)))
    marker = still.find(".//g[@data-testid='robot-marker']")
    assert marker is not None and marker.find("path") is None and marker.get("data-heading") is None
    assert _svg(MapView("m", "d", PLACES)).find(".//g[@data-testid='robot-marker']") is None


def test_mapview_escapes_names_from_the_tour_file() -> None:
    hostile = (Place("x", 0.0, 0.0, ("<script>alert(1)</script> & co",)),)
    markup = draw(MapView("a <b>", "d", hostile))
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert ET.fromstring(markup).findtext(".//tspan") == "<script>alert(1)</script> & co"


@pytest.mark.parametrize(("places", "expected"), [
    ((Place("a", 0.0, 0.0, ()), Place("b", 24.0, 6.0, ())), 2.0),
    ((Place("a", 0.0, 0.0, ()), Place("b", 1.5, 1.5, ())), 0.25),  # tiny: drawn as if 3 m
])
def test_mapview_sizes_follow_the_maps_extent(places: tuple[Place, ...], expected: float) -> None:
    view = MapView("m", "d", places)
    assert unit(view) == expected
    text = ET.fromstring(draw(view)).find(".//text")
    assert text is not None and float(text.get("font-size", "0")) == pytest.approx(0.3 * expected, abs=1e-3)


def test_mapview_view_box_holds_every_place_and_a_robot_off_the_map() -> None:
    left, top, width, height = map(float, view_box(MapView("m", "d", PLACES, robot=Robot(-3.0, 6.0))).split())
    assert left < 0 < 6 < left + width  # east from the dock to the robot
    assert top < -4 and top + height > 3  # north from the kiosk to the robot
