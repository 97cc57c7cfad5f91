from __future__ import annotations

import math
from pathlib import Path

import pytest

from receptionist_robot.routes import plan
from receptionist_robot.tours import load_tours

SHIPPED = Path(__file__).parents[2] / "flows" / "tours" / "innovation_lab.yaml"


def test_routes_follow_the_aisles_with_their_speed_caps() -> None:
    legs = plan(load_tours(SHIPPED), "dock", "gis", 0.8)
    assert [w.location for w in legs] == ["reception", "poc_showcase", "smart_sensing", "gis"]
    assert [w.speed for w in legs] == [0.5, 0.8, 0.8, 0.8]


def test_routes_stop_short_of_the_exhibit_facing_it() -> None:
    tour_map = load_tours(SHIPPED)
    last = plan(tour_map, "reception", "city_dashboard", 0.8)[-1]
    x, y, yaw = tour_map.locations["city_dashboard"].pose
    assert math.hypot(x - last.pose.x, y - last.pose.y) == pytest.approx(0.8)
    assert last.pose.yaw == yaw


def test_routes_without_edges_are_straight(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    cut = text.index("\nedges:")
    stripped = text[:cut] + text[text.index("\ntours:"):]
    path = tmp_path / "t.yaml"
    path.write_text(stripped, encoding="utf-8")
    assert [w.location for w in plan(load_tours(path), "dock", "gis", 1.0)] == ["gis"]
