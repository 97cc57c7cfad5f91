"""Route planning: the waypoints from one location to another, with a speed for each leg.

Without edges a route is a straight line. With edges, the shortest path over the graph
(Dijkstra, metres), each leg capped by its edge's speed. The last waypoint stops
`standoff` metres short of the exhibit, facing it.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from receptionist_robot.base import Pose
from receptionist_robot.errors import TourError
from receptionist_robot.tours import TourMap


@dataclass(frozen=True)
class Waypoint:
    pose: Pose
    speed: float
    location: str


def plan(tour_map: TourMap, start: str, goal: str, speed: float) -> list[Waypoint]:
    names = _path(tour_map, start, goal) if tour_map.edges else [start, goal]
    caps = _caps(tour_map)
    points = [
        Waypoint(_pose(tour_map, b, prev=a, last=(i == len(names) - 1)),
                 min(speed, caps.get(frozenset((a, b)), speed)), b)
        for i, (a, b) in enumerate(zip(names, names[1:], strict=False), start=1)
    ]
    return points


def _pose(tour_map: TourMap, name: str, prev: str, last: bool) -> Pose:
    x, y, yaw = tour_map.locations[name].pose
    standoff = tour_map.locations[name].standoff if last else 0.0
    px, py, _ = tour_map.locations[prev].pose
    gap = math.hypot(x - px, y - py)
    if standoff and gap > standoff:
        x, y = x - (x - px) / gap * standoff, y - (y - py) / gap * standoff
    return Pose(x, y, yaw if last else None)


def _caps(tour_map: TourMap) -> dict[frozenset[str], float]:
    return {frozenset((e.a, e.b)): e.speed for e in tour_map.edges if e.speed}


def _path(tour_map: TourMap, start: str, goal: str) -> list[str]:
    graph = _graph(tour_map)
    queue: list[tuple[float, str, list[str]]] = [(0.0, start, [start])]
    seen: set[str] = set()
    while queue:
        cost, here, path = heapq.heappop(queue)
        if here == goal:
            return path
        if here in seen:
            continue
        seen.add(here)
        for there, metres in graph.get(here, []):
            heapq.heappush(queue, (cost + metres, there, path + [there]))
    raise TourError(f"no route from '{start}' to '{goal}' over the map's edges")


def _graph(tour_map: TourMap) -> dict[str, list[tuple[str, float]]]:
    graph: dict[str, list[tuple[str, float]]] = {}
    for edge in tour_map.edges:
        metres = _distance(tour_map, edge.a, edge.b)
        graph.setdefault(edge.a, []).append((edge.b, metres))
        graph.setdefault(edge.b, []).append((edge.a, metres))
    return graph


def _distance(tour_map: TourMap, a: str, b: str) -> float:
    (ax, ay, _), (bx, by, _) = tour_map.locations[a].pose, tour_map.locations[b].pose
    return math.hypot(ax - bx, ay - by)
