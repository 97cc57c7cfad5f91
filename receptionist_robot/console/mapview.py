"""The robot page's map as inline SVG, drawn on the server from plain data.

Map coordinates follow the tour files: x north, y east, in metres; the SVG puts north up and
east right, so a point (x, y) is drawn at (y, -x) and the viewBox is in metres too. Labels are
real `<text>` (read out by screen readers and findable by tests), the whole map has a
`<title>` and a `<desc>` saying where the robot is, and colour is never the only cue: the
route's stops carry their order number, the current stop a ring.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

REFERENCE = 12.0  # metres across the map the sizes below are for; others scale with theirs
SMALLEST = 3.0  # metres: a tiny map is drawn as if this big, so its labels stay in proportion
SIZES = {"pad": 1.2, "label_room": 2.6, "line": 0.36, "font": 0.3, "label_gap": 0.62,
         "dot": 0.18, "stop_dot": 0.26, "ring": 0.42, "ring_width": 0.1, "aisle": 0.12,
         "route": 0.08, "dash": 0.25, "gap": 0.15, "halo": 0.08}
COLOURS = {"place": "#5f6b7a", "stop": "#0b57a4", "done": "#2e7d32", "current": "#e65100",
           "dock": "#12355b", "aisle": "#c8ced6", "route": "#0b57a4", "robot": "#b00020"}


@dataclass(frozen=True)
class Place:
    key: str
    x: float
    y: float
    labels: tuple[str, ...]
    dock: bool = False


@dataclass(frozen=True)
class Robot:
    x: float
    y: float
    heading: float | None = None  # radians from north, clockwise (east is pi/2)


@dataclass(frozen=True)
class MapView:
    title: str
    desc: str
    places: tuple[Place, ...]
    aisles: tuple[tuple[str, str], ...] = ()
    route: tuple[tuple[float, float], ...] = ()  # the planned path, (x, y) points
    stops: tuple[str, ...] = ()  # the route's stops, in order
    current: str | None = None
    done: frozenset[str] = field(default_factory=frozenset)
    robot: Robot | None = None
    robot_label: str = "Robot"


def draw(view: MapView) -> str:
    """The SVG markup; ElementTree escapes every label, so a map's names cannot inject markup."""
    size = Size(unit(view))
    svg = ET.Element("svg", {"class": "robot-map", "viewBox": view_box(view), "role": "img",
                             "aria-labelledby": "robot-map-title robot-map-desc",
                             "data-testid": "robot-map"})
    ET.SubElement(svg, "title", id="robot-map-title").text = view.title
    ET.SubElement(svg, "desc", id="robot-map-desc").text = view.desc
    _aisles(svg, view, size)
    _route(svg, view, size)
    for place in view.places:
        _place(svg, view, place, size)
    if view.robot is not None:
        _robot(svg, view.robot, view.robot_label, size)
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)


@dataclass(frozen=True)
class Size:
    """Lengths for dots, lines and text, in metres, for a map `unit` times the reference."""

    unit: float

    def of(self, name: str) -> float:
        return SIZES[name] * self.unit

    def __call__(self, name: str) -> str:
        return _num(self.of(name))


def unit(view: MapView) -> float:
    """How big this map is against the reference, so labels keep their size beside the dots."""
    norths, easts = _extent(view)
    return max(max(norths) - min(norths), max(easts) - min(easts), SMALLEST) / REFERENCE


def view_box(view: MapView) -> str:
    """Every place and the robot inside, with room for labels below and beside the dots."""
    size, (norths, easts) = Size(unit(view)), _extent(view)
    left, right = min(easts) - size.of("label_room"), max(easts) + size.of("label_room")
    top = -max(norths) - size.of("pad")
    bottom = -min(norths) + size.of("pad") + 2 * size.of("line")
    return " ".join(_num(v) for v in (left, top, right - left, bottom - top))


def _extent(view: MapView) -> tuple[list[float], list[float]]:
    points = [(p.x, p.y) for p in view.places] + ([(view.robot.x, view.robot.y)] if view.robot else [])
    return [x for x, _ in points] or [0.0], [y for _, y in points] or [0.0]


def status_of(key: str, view: MapView) -> str:
    """What a place is to the tour: current, done, a stop still to come, the dock, or a place."""
    if key == view.current:
        return "current"
    if key in view.stops:
        return "done" if key in view.done else "stop"
    return "dock" if any(p.dock and p.key == key for p in view.places) else "place"


def _aisles(svg: ET.Element, view: MapView, size: Size) -> None:
    where = {p.key: p for p in view.places}
    group = ET.SubElement(svg, "g", {"class": "aisles", "stroke": COLOURS["aisle"],
                                     "stroke-width": size("aisle"), "stroke-linecap": "round"})
    for a, b in view.aisles:
        if a in where and b in where:
            ET.SubElement(group, "line", x1=_num(where[a].y), y1=_num(-where[a].x),
                          x2=_num(where[b].y), y2=_num(-where[b].x))


def _route(svg: ET.Element, view: MapView, size: Size) -> None:
    if len(view.route) < 2:
        return
    points = " ".join(f"{_num(y)},{_num(-x)}" for x, y in view.route)
    ET.SubElement(svg, "polyline", {"class": "route", "points": points, "fill": "none",
                                    "stroke": COLOURS["route"], "stroke-width": size("route"),
                                    "stroke-dasharray": f"{size('dash')} {size('gap')}",
                                    "data-testid": "robot-route"})


def _place(svg: ET.Element, view: MapView, place: Place, size: Size) -> None:
    status = status_of(place.key, view)
    classes = "place" if status == "place" else f"place {status}"
    group = ET.SubElement(svg, "g", {"class": classes, "data-location": place.key,
                                     "data-status": status})
    cx, cy = _num(place.y), _num(-place.x)
    if status == "current":
        ET.SubElement(group, "circle", {"cx": cx, "cy": cy, "r": size("ring"), "fill": "none",
                                        "stroke": COLOURS["current"], "stroke-width": size("ring_width")})
    radius = size("stop_dot") if status in ("stop", "current", "done") else size("dot")
    ET.SubElement(group, "circle", {"class": "dot", "cx": cx, "cy": cy, "r": radius,
                                    "fill": COLOURS[status]})
    _label(group, place, _numbered(place, view), size)


def _numbered(place: Place, view: MapView) -> tuple[str, ...]:
    if place.key not in view.stops or not place.labels:
        return place.labels
    order = view.stops.index(place.key) + 1
    return (f"{order} · {place.labels[0]}", *place.labels[1:])


def _label(group: ET.Element, place: Place, lines: tuple[str, ...], size: Size) -> None:
    x = _num(place.y)
    text = ET.SubElement(group, "text", {"x": x, "y": _num(-place.x + size.of("label_gap")),
                                         "font-size": size("font"), "text-anchor": "middle",
                                         "fill": "#1a1a1a", "stroke": "#f3f5f8", "paint-order": "stroke",
                                         "stroke-width": size("halo")})  # a halo over the route
    for i, line in enumerate(lines):
        ET.SubElement(text, "tspan", x=x, dy="0" if i == 0 else size("line")).text = line


def _robot(svg: ET.Element, robot: Robot, label: str, size: Size) -> None:
    """Drawn at the reference size, then scaled: the arrow's shape stays one path."""
    place = f"translate({_num(robot.y)} {_num(-robot.x)}) scale({size.unit:.3g})"
    attrs = {"class": "robot", "data-testid": "robot-marker", "data-x": f"{robot.x:.2f}",
             "data-y": f"{robot.y:.2f}", "transform": place}
    if robot.heading is not None:
        attrs["data-heading"] = f"{math.degrees(robot.heading) % 360:.0f}"
    group = ET.SubElement(svg, "g", attrs)
    ET.SubElement(group, "title").text = label
    ET.SubElement(group, "circle", {"r": "0.34", "fill": COLOURS["robot"], "stroke": "#fff",
                                    "stroke-width": "0.06"})
    if robot.heading is not None:  # an arrow drawn pointing north, turned clockwise to the heading
        ET.SubElement(group, "path", {"d": "M0,-0.3 L0.2,0.12 L0,0.02 L-0.2,0.12 Z", "fill": "#fff",
                                      "transform": f"rotate({math.degrees(robot.heading):.1f})"})


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
