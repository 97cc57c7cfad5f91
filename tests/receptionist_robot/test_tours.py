from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from receptionist_robot.errors import TourError, TourFileError
from receptionist_robot.tours import LANGUAGES, load_tours, resolve

SHIPPED = Path(__file__).parents[2] / "flows" / "tours" / "innovation_lab.yaml"
EXHIBITS = {"city_dashboard", "chatbots", "virtual_reality", "gis", "smart_sensing", "poc_showcase"}

MINIMAL = """\
map: m
locations:
  dock: {pose: [0, 0, 0], dock: true, names: {en: Dock, zh-HK: 充電座}}
  a: {pose: [3, 0, 0], names: {en: A, zh-HK: 甲}}
tours:
  t:
    names: {en: T, zh-HK: 丁}
    stops:
      - location: a
        script: {en: Hello, zh-HK: 你好}
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str], Path]:
    def make(text: str) -> Path:
        path = tmp_path / "tour.yaml"
        path.write_text(text, encoding="utf-8")
        return path
    return make


def test_shipped_tour_has_every_exhibit_in_three_languages() -> None:
    tour_map = load_tours(SHIPPED)
    visited = {s.location for s in tour_map.tour("showroom").stops}
    assert visited >= EXHIBITS and tour_map.dock == "dock"
    for stop in tour_map.tour("showroom").stops:
        assert all(stop.script.get(lang) for lang in LANGUAGES)
        assert stop.script.zh_CN and tour_map.locations[stop.location].names.zh_CN


def test_tours_mandarin_falls_back_to_traditional_chinese(write: Callable[[str], Path]) -> None:
    stop = load_tours(write(MINIMAL)).tour("t").stops[0]
    assert (stop.script.get("zh-CN"), stop.script.get("en")) == ("你好", "Hello")


@pytest.mark.parametrize(("change", "where", "message"), [
    (("location: a", "location: nowhere"), ":9:", "unknown location 'nowhere'"),
    (("{en: A, zh-HK: 甲}", "{en: A}"), ":4:", "zh-HK"),
    (("dock: true, ", ""), ":1:", "exactly one location"),
    (("script:", "scirpt:"), ":10:", "Extra inputs are not permitted"),
    (("pose: [3, 0, 0]", "pose: [3, 0]"), ":4:", "pose"),
])
def test_tours_errors_point_at_the_line(write: Callable[[str], Path], change: tuple[str, str],
                                        where: str, message: str) -> None:
    path = write(MINIMAL.replace(*change))
    with pytest.raises(TourFileError) as caught:
        load_tours(path)
    text = str(caught.value)
    assert f"{path}{where}" in text and message in text


def test_tours_yaml_syntax_error_is_a_tour_file_error(write: Callable[[str], Path]) -> None:
    with pytest.raises(TourFileError, match=r"tour.yaml:3:1: YAML syntax error"):
        load_tours(write("map: m\nlocations: [unclosed\n"))


def test_resolve_finds_a_tour_by_name_or_file(tmp_path: Path) -> None:
    assert resolve("express", SHIPPED.parent)[1] == "express"
    assert resolve(f"{SHIPPED}:express")[1] == "express"
    assert resolve(str(SHIPPED))[1] == "showroom"
    with pytest.raises(TourError, match="no tour named 'moon'"):
        resolve("moon", SHIPPED.parent)
