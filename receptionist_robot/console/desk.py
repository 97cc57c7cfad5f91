"""The console's hold on the robot: one line to the base, and the tour run from the page.

A serial line has one owner at a time (and the simulator's TCP port, like a re-plugged cable,
one client), so the console never opens two: while idle the desk keeps its own `Base` for
status, pause and e-stop; starting a tour hands the line to the `Guide`, whose controller's
base then serves status and e-stop; when the tour is over the desk takes the line back.
"""

from __future__ import annotations

import math
import os
import threading
import time
from pathlib import Path
from typing import Any

from receptionist_robot.base import Base
from receptionist_robot.controller import TourEvent
from receptionist_robot.errors import RobotError
from receptionist_robot.guide import Guide
from receptionist_robot.settings import DWELL_ENV, ROBOT_ENV, TOUR_MAP_ENV
from receptionist_robot.store import TourRecords
from receptionist_robot.tours import LANGUAGES, TOURS_DIR, TourMap, load_tours

DEFAULT_MAP = TOURS_DIR / "innovation_lab.yaml"
CONNECT_TIMEOUT = 3.0  # seconds for the base's heartbeat and position when (re)connecting
RETRY_AFTER = 5.0  # seconds before trying a base that did not answer again
CLOSE_WAIT = 1.0  # seconds a running tour gets to hold the base before the line closes
TOUR_COMMANDS = ("pause", "resume", "stop", "reset", "skip", "repeat")


class Refused(Exception):
    """A command the desk will not carry out; `key` names its label, `status` the HTTP answer."""

    def __init__(self, key: str, status: int = 409, **values: object) -> None:
        super().__init__(key)
        self.key, self.status, self.values = key, status, values


class RobotLink:
    """The console's one line to the base and the tour it runs; the base is None while not connected."""

    def __init__(self, url: str | None, map_path: str | Path = DEFAULT_MAP, dwell_scale: float = 1.0,
                 records: TourRecords | None = None) -> None:
        self.url, self.map_path, self.dwell_scale = url, Path(map_path), dwell_scale
        self.records, self.closed = records, False
        self.problem = ""  # why the base did not answer, until it does
        self.setting_problem = ""  # a bad environment variable, said on every page
        self._own: Base | None = None
        self._guide: Guide | None = None
        self._map: TourMap | None = None
        self._retry_at = 0.0
        self._lock = threading.RLock()

    @classmethod
    def from_env(cls, records: TourRecords | None = None) -> RobotLink:
        """SMARTLAB_ROBOT_URL, SMARTLAB_TOUR_MAP, SMARTLAB_TOUR_DWELL_SCALE; a bad scale is kept to say."""
        env, problem = os.environ, ""
        try:
            scale = dwell_scale(env.get(DWELL_ENV))
        except ValueError as exc:
            scale, problem = 1.0, str(exc)
        link = cls(env.get(ROBOT_ENV) or None, env.get(TOUR_MAP_ENV) or DEFAULT_MAP, scale, records)
        link.setting_problem = problem
        return link

    # -- the line ------------------------------------------------------------------------
    def get(self) -> Base | None:
        """The base to talk to now: the running tour's, else our own (connecting if due)."""
        with self._lock:
            if self.closed:
                return None
            if self.touring:
                return self._guide.controller.base  # type: ignore[union-attr]
            if self._own is None and self.url and time.monotonic() >= self._retry_at:
                self._connect()
            return self._own

    @property
    def base(self) -> Base | None:
        """What is open now, without connecting (for shutdown and tests)."""
        return self._guide.controller.base if self.touring else self._own  # type: ignore[union-attr]

    @property
    def touring(self) -> bool:
        return self._guide is not None and self._guide.running

    def _connect(self) -> None:
        try:
            self._own = Base.connect(self.url, timeout=CONNECT_TIMEOUT)  # type: ignore[arg-type]
            self.problem = ""
        except (RobotError, OSError) as exc:
            self.problem, self._retry_at = str(exc), time.monotonic() + RETRY_AFTER

    def _connect_for_guide(self, url: str) -> Base:
        return Base.connect(url, timeout=CONNECT_TIMEOUT)

    def _let_go(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None

    # -- tours ---------------------------------------------------------------------------
    def tour_map(self) -> TourMap:
        """The map, read once; a missing or wrong file is refused with its first problem."""
        if self._map is None:
            try:
                self._map = load_tours(self.map_path)
            except RobotError as exc:
                raise Refused("robot_tour_map_bad", 503, reason=str(exc).splitlines()[0]) from exc
        return self._map

    def start(self, tour: str, lang: str) -> None:
        with self._lock:
            tour_map = self.tour_map()
            self._check_start(tour_map, tour, lang)
            if self.get() is None:
                raise Refused("robot_offline", 503)
            self._let_go()  # the guide opens the line itself
            try:
                self._guide_for(tour_map).start(tour, lang, _ignore)
            except RobotError as exc:
                self._retry_at = 0.0
                raise Refused("robot_tour_failed", 503, reason=str(exc)) from exc

    def _check_start(self, tour_map: TourMap, tour: str, lang: str) -> None:
        if self.touring:
            raise Refused("robot_tour_busy", 409)
        if tour not in tour_map.tours:
            raise Refused("robot_tour_unknown", 404, tour=tour)
        if lang not in LANGUAGES:
            raise Refused("robot_tour_bad_lang", 400, lang=lang)

    def _guide_for(self, tour_map: TourMap) -> Guide:
        if self._guide is None:
            self._guide = Guide(self.url or "", tour_map, self.records, self.dwell_scale,
                                connect=self._connect_for_guide)
        return self._guide

    # -- commands ------------------------------------------------------------------------
    def command(self, name: str) -> None:
        """Pause, resume, stop, reset, skip, repeat go to the running tour; pause without one
        holds the base."""
        try:
            with self._lock:
                if name == "estop":
                    self._estop()
                else:
                    self._tour_command(name)
        except RobotError as exc:
            raise Refused("robot_command_failed", 503, reason=str(exc)) from exc

    def _tour_command(self, name: str) -> None:
        if name not in TOUR_COMMANDS:
            raise Refused("robot_no_command", 404, command=name)
        if self.touring:
            self._guide.post(name)  # type: ignore[union-attr]
        elif name == "pause":
            self._base_or_refuse().hold()
        else:
            raise Refused("robot_tour_none", 409)

    def goto(self, location: str) -> None:
        """Leave for one of the running tour's stops now (the stops between are not visited)."""
        with self._lock:
            if not self.touring:
                raise Refused("robot_tour_none", 409)
            stops = [s.location for s in self._guide.controller.tour.stops]  # type: ignore[union-attr]
            if location not in stops:
                raise Refused("robot_no_stop", 404, location=location)
            self._guide.post("goto", location=location)  # type: ignore[union-attr]

    def _estop(self) -> None:
        """The tour hears it first, so it cannot re-arm; then the forced disarm goes out at once."""
        if self.touring:
            self._guide.post("estop")  # type: ignore[union-attr]
        self._base_or_refuse().estop()

    def _base_or_refuse(self) -> Base:
        base = self.get()
        if base is None:
            raise Refused("robot_offline", 503)
        return base

    # -- watching ------------------------------------------------------------------------
    def tour_status(self, lang: str) -> dict[str, Any] | None:
        """The guide's status of the running or last tour, with its outcome once over."""
        guide = self._guide
        if guide is None or guide.controller is None:
            return None
        status = guide.status(lang)
        return {**status, "summary": guide.summary, "paused_from": guide.controller.progress.paused_from}

    def signature(self) -> tuple[Any, ...]:
        """What the page shows, coarsely: a change here is worth a redraw."""
        tour = self.tour_status("en")
        shown = tour and (tour["state"], tour["index"], len(tour["done"]), tour["running"])
        return (_base_signature(self.get()), shown)

    # -- the end -------------------------------------------------------------------------
    def close(self) -> None:
        """End a running tour where it is (the base holds), then close every line: no tour thread
        is left idle and no link thread is left reconnecting."""
        with self._lock:
            self.closed = True
            if self._guide is not None:
                self._guide.close(CLOSE_WAIT)
            self._let_go()


def _base_signature(base: Base | None) -> tuple[Any, ...]:
    if base is None:
        return ()
    t = base.telemetry
    return (round(t.x, 1), round(t.y, 1), t.mode, t.armed, base.link.is_up, round(t.battery_pct or 0))


def heading(base: Base) -> float | None:
    """Radians from north: the base's ATTITUDE if it sends one, else the way it is moving."""
    attitude = base.link.latest("ATTITUDE")
    if attitude is not None:
        return float(attitude.yaw)
    t = base.telemetry
    return math.atan2(t.vy, t.vx) if math.hypot(t.vx, t.vy) > 0.05 else None


def dwell_scale(text: str | None) -> float:
    """How long a stop's dwell really lasts: 1.0 on the floor, less for rehearsals and tests."""
    try:
        value = float(text) if text else 1.0
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{DWELL_ENV}={text!r} is not a number from 0: dwell times are real (1.0)")
    return value


def _ignore(event: TourEvent) -> None:
    """The page reads the controller's state when it draws; it needs no event pushed."""
