"""What the robot page shows, worked out from the desk: base status, the tour, the map.

Kept apart from the routes so the page's words and the map's contents come from plain data;
labels are the console's (English or Traditional Chinese), exhibit names the tour file's.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from receptionist_robot.base import Base
from receptionist_robot.console.desk import Refused, RobotLink, heading
from receptionist_robot.console.mapview import MapView, Place, Robot, draw, status_of
from receptionist_robot.errors import TourError
from receptionist_robot.routes import plan
from receptionist_robot.tours import Texts, TourMap
from rpa.web.console.i18n import LABELS, translate

TOUR_LANGS = {"en": "en", "zh": "zh-HK"}  # the console's language -> the tour's
SPOKEN = (("en", "English"), ("zh-HK", "廣東話（繁體）"), ("zh-CN", "普通话（简体）"))


def robot_context(link: RobotLink, lang: str) -> dict[str, Any]:
    """Everything robot.html and robot_live.html draw, for a viewer reading `lang`."""
    base, tour_lang = link.get(), TOUR_LANGS.get(lang, "en")
    tour = link.tour_status(tour_lang)
    context: dict[str, Any] = {"url": link.url or "", "status": base_status(base),
                               "tour": _tour(tour, lang), "tours": [], "svg": None, "map_problem": "",
                               "spoken": SPOKEN, "tour_lang": tour_lang}
    try:
        tour_map = link.tour_map()
    except Refused as exc:
        return {**context, "map_problem": translate(exc.key, lang, **exc.values)}
    context["tours"] = [(key, t.names.get(tour_lang)) for key, t in tour_map.tours.items()]
    if context["tour"]:
        context["tour"]["name"] = tour_map.tours[tour["tour"]].names.get(tour_lang)  # type: ignore[index]
    context["svg"] = Markup(draw(map_view(tour_map, tour, base, lang)))  # noqa: S704 (ElementTree escaped it)
    return context


def base_status(base: Base | None) -> dict[str, Any] | None:
    """The base's own status, with its heading in whole degrees when it has one."""
    if base is None:
        return None
    yaw = heading(base)
    return {**base.status(), "heading_deg": None if yaw is None else round(math.degrees(yaw) % 360)}


def map_view(tour_map: TourMap, tour: dict[str, Any] | None, base: Base | None, lang: str) -> MapView:
    places = tuple(Place(key, loc.pose[0], loc.pose[1], names(loc.names, lang), loc.dock)
                   for key, loc in tour_map.locations.items())
    stops = tuple(s["location"] for s in tour["stops"]) if tour else ()
    robot = Robot(base.telemetry.x, base.telemetry.y, heading(base)) if base is not None else None
    current = current_stop(tour)
    view = MapView(translate("robot_map_title", lang, map=tour_map.map), "", places,
                   tuple((e.a, e.b) for e in tour_map.edges),
                   planned_route(tour_map, tour["tour"]) if tour else (), stops, current,
                   frozenset(tour["done"]) if tour else frozenset(), robot, translate("robot", lang))
    return replace(view, desc=describe(view, lang))


def names(texts: Texts, lang: str) -> tuple[str, ...]:
    """The viewer's language first, the other one under it (once, if they are the same)."""
    first, second = (texts.zh_HK, texts.en) if lang == "zh" else (texts.en, texts.zh_HK)
    return (first,) if first == second else (first, second)


AT_A_STOP = ("navigating", "presenting")  # states in which the tour's index names the stop in hand


def current_stop(tour: dict[str, Any] | None) -> str | None:
    """The stop being approached or presented (also while paused or e-stopped on the way to it,
    and when the robot is sent back to a stop already done); none while greeting or going home."""
    if not tour or not 0 <= tour["index"] < len(tour["stops"]):
        return None
    state = tour["state"]
    if state in ("paused", "estopped"):
        state = tour.get("paused_from") or state
    return tour["stops"][tour["index"]]["location"] if state in AT_A_STOP else None


def planned_route(tour_map: TourMap, tour_name: str) -> tuple[tuple[float, float], ...]:
    """Dock, each stop, dock again, over the map's aisles as the controller plans it."""
    tour = tour_map.tour(tour_name)
    legs = [tour_map.dock, *(s.location for s in tour.stops), tour_map.dock]
    dock = tour_map.locations[tour_map.dock].pose
    points = [(dock[0], dock[1])]
    for a, b in zip(legs, legs[1:], strict=False):
        try:
            points += [(w.pose.x, w.pose.y) for w in plan(tour_map, a, b, tour.speed)] if a != b else []
        except TourError:  # no aisle joins them: draw it straight
            points.append(tour_map.locations[b].pose[:2])
    return tuple(points)


def describe(view: MapView, lang: str) -> str:
    """The map in words, for the SVG's <desc>: where the robot is and which stop is current."""
    robot = view.robot
    if robot is None:
        parts = [translate("robot_map_nowhere", lang)]
    else:
        parts = [translate("robot_map_at", lang, x=f"{robot.x:.1f}", y=f"{robot.y:.1f}")]
        if robot.heading is not None:
            parts.append(translate("robot_map_heading", lang, deg=f"{math.degrees(robot.heading) % 360:.0f}"))
    place = next((p for p in view.places if p.key == view.current), None)
    if place is not None:
        parts.append(translate("robot_map_current", lang, name=place.labels[0]))
    return " ".join(parts)


def _tour(tour: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The tour as the page lists it: state in words, each stop with what it is to the tour."""
    if tour is None:
        return None
    current = current_stop(tour)
    view = MapView("", "", (), stops=tuple(s["location"] for s in tour["stops"]), current=current,
                   done=frozenset(tour["done"]))
    skipped = frozenset(tour.get("skipped", ()))
    stops = [{**s, "status": _listed(status_of(s["location"], view), s["location"] in skipped)} for s in tour["stops"]]
    stops = [{**s, "status_label": translate(f"robot_stop_{s['status']}", lang)} for s in stops]
    summary = tour["summary"]
    return {**tour, "stops": stops, "state_label": state_label(tour["state"], lang),
            "current_name": next((s["name"] for s in stops if s["location"] == current), ""),
            "outcome": state_label(summary["status"], lang) if summary else ""}


def _listed(status: str, skipped: bool) -> str:
    """The list says which done stops were skipped; the map draws them as done."""
    return "skipped" if status == "done" and skipped else status


def state_label(state: str, lang: str) -> str:
    key = f"robot_tour_{state}"
    return translate(key, lang) if key in LABELS else state
