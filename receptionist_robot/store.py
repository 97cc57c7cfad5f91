"""Tour records in the SmartLab store: one row per tour, one per stop visited or skipped.

Like the museum robots RHINO and MINERVA, every tour is logged: distance, duration, e-stops,
link losses and battery used, so an operator can see how the robot is doing over weeks.
A tour still `running` whose controller process on this host is gone (SIGKILL, power loss)
is closed as `aborted` when the next tour starts, its base left to the GCS failsafe.
Our own tables on our own MetaData, made by the `robot` migrations branch when a store opens.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from typing import Any

from sqlalchemy import JSON, Column, Engine, Float, Integer, MetaData, String, Table, insert, select
from sqlalchemy.exc import SQLAlchemyError

from rpa.errors import StoreError
from rpa.store.db import open_engine

metadata = MetaData()

tours = Table(
    "robot_tours", metadata,
    Column("id", String(32), primary_key=True),
    Column("tour", String(200), nullable=False),
    Column("map", String(200), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("status", String(32), nullable=False),  # running | completed | aborted | fault | refused
    Column("started_at", Float, nullable=False),
    Column("finished_at", Float),
    Column("distance_m", Float),
    Column("duration_s", Float),
    Column("estops", Integer, default=0),
    Column("link_losses", Integer, default=0),
    Column("battery_start", Float),
    Column("battery_end", Float),
    Column("counters", JSON),
    Column("reason", String(500)),  # why it ended other than completed
    Column("base_state", String(500)),  # what the base was left in ("HOLD, disarmed")
    Column("dock_offset_m", Float),  # how far from the dock it ended
    Column("owner", String(300)),  # pid@host of the controller running it
)

stops = Table(
    "robot_tour_stops", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tour_id", String(32), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("location", String(200), nullable=False),
    Column("status", String(16), nullable=False),  # visited | skipped
    Column("reason", String(200)),
    Column("at", Float, nullable=False),
)


ABANDONED = "the controller process died mid-tour (killed, or the machine went down)"
LEFT_TO_FAILSAFE = "unknown: left to the base's GCS failsafe (HOLD once our heartbeat stopped)"


def _me() -> str:
    return f"{os.getpid()}@{socket.gethostname()}"


def _gone(owner: str | None) -> bool:
    pid, _, host = (owner or "").partition("@")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's tour, or one from before owners were kept
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class TourRecords:
    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.engine = engine or open_engine(url)

    def start(self, tour: str, map_id: str, lang: str, battery: float | None) -> str:
        self.close_abandoned()
        tour_id = uuid.uuid4().hex
        row = {"id": tour_id, "tour": tour, "map": map_id, "lang": lang, "status": "running",
               "started_at": time.time(), "battery_start": battery, "owner": _me()}
        self._write(insert(tours).values(**row))
        return tour_id

    def close_abandoned(self) -> list[str]:
        """Tours left `running` by a controller on this host that no longer exists."""
        def running() -> list[Any]:
            with self.engine.connect() as conn:
                query = select(tours.c.id, tours.c.owner).where(tours.c.status == "running")
                return list(conn.execute(query))
        dead = [row.id for row in self._guard(running) if _gone(row.owner)]
        for tour_id in dead:
            self.finish(tour_id, status="aborted", reason=ABANDONED, base_state=LEFT_TO_FAILSAFE)
        return dead

    def stop(self, tour_id: str, seq: int, location: str, status: str, reason: str | None) -> None:
        row = {"tour_id": tour_id, "seq": seq, "location": location, "status": status,
               "reason": reason, "at": time.time()}
        self._write(insert(stops).values(**row))

    def finish(self, tour_id: str, **fields: Any) -> None:
        update = tours.update().where(tours.c.id == tour_id)
        self._write(update.values(finished_at=time.time(), **fields))

    def get(self, tour_id: str) -> dict[str, Any]:
        def read() -> dict[str, Any]:
            with self.engine.connect() as conn:
                row = conn.execute(select(tours).where(tours.c.id == tour_id)).mappings().one()
                visits = conn.execute(select(stops).where(stops.c.tour_id == tour_id)
                                      .order_by(stops.c.id)).mappings().all()
            return {**row, "stops": [dict(v) for v in visits]}
        return self._guard(read)

    def _write(self, statement: Any) -> None:
        def run() -> None:
            with self.engine.begin() as conn:
                conn.execute(statement)
        self._guard(run)

    def _guard(self, action: Any) -> Any:
        try:
            return action()
        except SQLAlchemyError as exc:
            raise StoreError(f"robot tour records: {exc.__class__.__name__}: {exc}") from exc
