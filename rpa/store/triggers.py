"""Trigger bookkeeping: when each schedule last fired, and firing it at most once per tick.

Several schedulers may run (one per `smartlab serve`); each firing is a compare-and-set on the
trigger's last firing time, so exactly one of them starts the run.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from rpa.store.schema import trigger_state


class TriggerStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def fire_if_due(self, key: str, now: float, next_after: Callable[[float], float]) -> bool:
        """True for the one caller that fires trigger `key` at `now`. The first sight of a
        trigger only remembers `now`; later, it is due when `next_after(last firing) <= now`."""
        with self.engine.begin() as conn:
            last = conn.execute(select(trigger_state.c.last_fired)
                                .where(trigger_state.c.trigger == key)).scalar()
            if last is None:
                with suppress(IntegrityError):  # another scheduler saw it at the same moment
                    conn.execute(insert(trigger_state).values(trigger=key, last_fired=now))
                return False
            if next_after(last) > now:
                return False
            fired = conn.execute(update(trigger_state).where(trigger_state.c.trigger == key,
                                                            trigger_state.c.last_fired == last)
                                 .values(last_fired=now))
            return fired.rowcount == 1
