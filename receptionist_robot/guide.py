"""One tour at a time on the robot's base, run in a thread for the dialogue bridge.

The bridge asks for a tour (`start`) and passes the visitor's commands on (`post`); the
controller's events go to the listener given at start. `status` is what the kiosk draws:
the route's stops, which one is current, the robot's state and position.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from receptionist_robot.base import Base
from receptionist_robot.controller import TourController, TourEvent
from receptionist_robot.errors import TourError
from receptionist_robot.store import TourRecords
from receptionist_robot.tours import TourMap


class Guide:
    def __init__(self, port: str, tour_map: TourMap, records: TourRecords | None = None,
                 dwell_scale: float = 1.0, connect: Callable[[str], Base] = Base.connect) -> None:
        self.port, self.map, self.records = port, tour_map, records
        self.dwell_scale, self._connect = dwell_scale, connect
        self.controller: TourController | None = None
        self.summary: dict[str, Any] | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, tour: str, lang: str, listener: Callable[[TourEvent], None]) -> None:
        if self.running:
            raise TourError("a tour is already running")
        if tour not in self.map.tours:
            raise TourError(f"no tour '{tour}' on map '{self.map.map}'")
        base = self._connect(self.port)
        controller = TourController(base, self.map, tour, lang, self.records, self.dwell_scale)
        controller.listeners.append(listener)
        self.controller, self.summary = controller, None
        self._thread = threading.Thread(target=self._run, args=(controller, base), daemon=True,
                                        name=f"tour-{tour}")
        self._thread.start()

    def post(self, event: str, **data: Any) -> bool:
        if not self.running or self.controller is None:
            return False
        self.controller.post(event, **data)
        return True

    def close(self, wait: float = 6.0) -> None:
        """End a running tour where it is (the base holds, and is disarmed once still or after
        SMARTLAB_ROBOT_DISARM_AFTER), then let go of the base: its link stops, and stops
        reconnecting."""
        if self.running:
            self.post("abort")
            self.wait(wait)
        if self.controller is not None:
            self.controller.base.close()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def status(self, lang: str) -> dict[str, Any]:
        c = self.controller
        tour = c.tour if c else None
        return {
            "running": self.running, "state": c.state if c else "docked",
            "tour": c.tour_name if c else None, "index": c.progress.index if c else -1,
            "x": c.base.position().x if c else 0.0, "y": c.base.position().y if c else 0.0,
            "stops": [self._stop(s.location, lang) for s in tour.stops] if tour else [],
            "done": [s["location"] for s in c.progress.stops] if c else [],
            "skipped": [s["location"] for s in c.progress.stops if s["status"] == "skipped"] if c else [],
            "locations": {k: {"x": v.pose[0], "y": v.pose[1], "name": v.names.get(lang)}
                          for k, v in self.map.locations.items()},
        }

    def _stop(self, location: str, lang: str) -> dict[str, Any]:
        return {"location": location, "name": self.map.locations[location].names.get(lang)}

    def _run(self, controller: TourController, base: Base) -> None:
        try:
            self.summary = controller.run()
        finally:
            base.close()
