"""Tour files: YAML -> a validated, frozen `TourMap`, with every error at `path:line:col`.

A file holds one map: its locations (pose, names per language, dock flag, standoff), the
optional graph of edges with speed caps, the tours (ordered stops with dwell, a script per
language, skippable, an intent for the dialogue) and the policies the controller follows.
Parsing reuses the flow loader's `read_source`, so a tour author sees the same messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from receptionist_robot.errors import TourError, TourFileError
from rpa.errors import FlowError, FlowErrors
from rpa.flow.source import Source, read_source

LANGUAGES = ("en", "zh-HK", "zh-CN")
TOURS_DIR = Path("flows") / "tours"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Texts(_Model):
    """One text per language; English and Traditional Chinese are required."""

    en: str
    zh_HK: str = Field(alias="zh-HK")
    zh_CN: str | None = Field(default=None, alias="zh-CN")

    def get(self, lang: str) -> str:
        fallback = self.zh_HK if lang == "zh-CN" else self.en  # Mandarin falls back to Chinese
        return {"en": self.en, "zh-HK": self.zh_HK, "zh-CN": self.zh_CN}.get(lang) or fallback


class Location(_Model):
    pose: tuple[float, float, float] = Field(description="x north, y east (metres), yaw (rad)")
    names: Texts
    dock: bool = False
    standoff: float = Field(0.0, ge=0, description="stop this far short, facing the exhibit")


class Edge(_Model):
    a: str = Field(alias="from")
    b: str = Field(alias="to")
    speed: float | None = Field(None, gt=0, le=1.8)


class Stop(_Model):
    location: str
    dwell: float = Field(20.0, ge=0)
    script: Texts
    skippable: bool = True
    intent: str | None = None


class Tour(_Model):
    names: Texts
    stops: list[Stop] = Field(min_length=1)
    speed: float = Field(0.8, gt=0, le=1.8)


class Policies(_Model):
    obstacle_wait: float = Field(10.0, ge=0, description="seconds blocked before skipping")
    low_battery: float = Field(25.0, ge=0, le=100, description="percent: finish stop, dock")
    link_lost: Literal["stop_and_wait"] = "stop_and_wait"
    estop: Literal["hold_until_reset"] = "hold_until_reset"
    stop_timeout: float = Field(180.0, gt=0, description="seconds to reach a stop")
    dock_tolerance: float = Field(0.15, gt=0, description="metres from the dock that count as docked")


class TourMap(_Model):
    map: str
    units: Literal["m"] = "m"
    frame: tuple[float, float, float] = Field(
        (0.0, 0.0, 0.0), description="the dock in the base's LOCAL_NED frame: north, east (m), "
        "yaw (rad) of the map's x axis; zeros when the base sets its origin on the dock")
    locations: dict[str, Location] = Field(min_length=1)
    edges: list[Edge] = []
    tours: dict[str, Tour] = Field(min_length=1)
    policies: Policies = Policies()

    @model_validator(mode="after")
    def _one_dock(self) -> TourMap:
        docks = [name for name, loc in self.locations.items() if loc.dock]
        if len(docks) != 1:
            raise ValueError(f"exactly one location needs `dock: true` (found {len(docks)})")
        return self

    @property
    def dock(self) -> str:
        return next(name for name, loc in self.locations.items() if loc.dock)

    def tour(self, name: str) -> Tour:
        if name not in self.tours:
            raise TourError(f"no tour '{name}' in map '{self.map}' (has: {', '.join(self.tours)})")
        return self.tours[name]


def load_tours(path: str | Path) -> TourMap:
    source = _read(path)
    try:
        tour_map = TourMap.model_validate(source.data)
    except ValidationError as exc:
        raise TourFileError([_located(source, e) for e in exc.errors()]) from exc
    problems = list(_reference_errors(tour_map, source))
    if problems:
        raise TourFileError(problems)
    return tour_map


def _read(path: str | Path) -> Source:
    try:
        return read_source(path)
    except FlowErrors as exc:
        raise TourFileError(exc.errors) from exc
    except FlowError as exc:
        raise TourFileError([exc]) from exc


def _located(source: Source, error: Any) -> FlowError:
    loc = tuple(error["loc"])
    where = ".".join(str(p) for p in loc) or "(file)"
    return source.error(f"{where}: {error['msg']}", loc, key=error["type"] == "extra_forbidden")


def _reference_errors(tour_map: TourMap, source: Source) -> list[FlowError]:
    known = tour_map.locations
    found = [
        source.error(f"unknown location '{stop.location}'",
                     ("tours", tname, "stops", i, "location"))
        for tname, tour in tour_map.tours.items()
        for i, stop in enumerate(tour.stops) if stop.location not in known
    ]
    found += [
        source.error(f"unknown location '{end}'", ("edges", i, key))
        for i, edge in enumerate(tour_map.edges)
        for key, end in (("from", edge.a), ("to", edge.b)) if end not in known
    ]
    return found


def find_tour_files(directory: str | Path = TOURS_DIR) -> list[Path]:
    return sorted(Path(directory).glob("*.yaml"))


def resolve(tour: str, directory: str | Path = TOURS_DIR) -> tuple[TourMap, str]:
    """`FILE.yaml[:TOUR]`, or a tour's name looked up in every file of `directory`."""
    if ".yaml" in tour:
        path, _, name = tour.partition(".yaml")
        tour_map = load_tours(path + ".yaml")
        name = name.lstrip(":") or next(iter(tour_map.tours))
        tour_map.tour(name)
        return tour_map, name
    for file in find_tour_files(directory):
        tour_map = load_tours(file)
        if tour in tour_map.tours:
            return tour_map, tour
        if tour == file.stem:
            return tour_map, next(iter(tour_map.tours))
    raise TourError(f"no tour named '{tour}' in {directory}/")
