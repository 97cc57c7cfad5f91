"""Work queues: items with references, priorities, leases, attempts and a circuit breaker.

Claiming is one guarded UPDATE whose subquery picks the next item; on PostgreSQL the
subquery takes `FOR UPDATE SKIP LOCKED` (SQLite serialises writers and ignores it), so two
workers never get the same item. An expired lease puts the item back in the queue.

The pick runs in two index probes, so a claim costs the same behind a backlog of a hundred
items or of a million: the highest priority level with a due item (a backward scan of
`ix_items_claim`), then that level's oldest item (a forward scan of the same index). One
ORDER BY priority DESC, id cannot use that index and sorts the whole backlog on every claim.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Connection, Engine, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from rpa.errors import RunError
from rpa.store.schema import items, queues

STATUSES = ("new", "in_progress", "done", "business_exception", "application_exception", "abandoned")
ENDED = ("done", "business_exception", "application_exception", "abandoned")


class LeaseLost(RunError):
    """The item is no longer leased to this owner (it expired and went to someone else)."""


@dataclass(frozen=True)
class Item:
    id: int
    queue: str
    reference: str
    attempt: int
    origin_id: int | None
    previous_id: int | None
    payload: Any
    files: list[str] | None
    priority: int
    defer_until: float | None
    deadline: float | None
    status: str
    run_id: str | None
    lease_owner: str | None
    lease_until: float | None
    output: Any
    error_kind: str | None
    error: str | None
    created_at: float
    updated_at: float
    finished_at: float | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class QueueConfig:
    name: str
    max_attempts: int = 3
    lease_seconds: float = 60.0
    retry_delay: float = 0.0
    breaker_threshold: int = 5
    breaker_cooldown: float = 30.0
    consecutive_errors: int = 0
    paused_until: float | None = None


def _item(row: Any) -> Item:
    return Item(**dict(row._mapping))


CONFIG_TTL = 1.0  # seconds a queue's settings are trusted before being read again


class QueueStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Claims, leases and outcomes are each one statement, atomic by itself: run without
        # BEGIN and COMMIT round trips (on PostgreSQL, 3 round trips become 1).
        self._single = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._configs: dict[str, tuple[float, QueueConfig]] = {}

    # -- queues ---------------------------------------------------------------------------
    def config(self, name: str) -> QueueConfig:
        cached = self._configs.get(name)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        config = self._read_config(name)
        self._configs[name] = (time.monotonic() + CONFIG_TTL, config)
        return config

    def _read_config(self, name: str) -> QueueConfig:
        with self.engine.begin() as conn:
            row = conn.execute(select(queues).where(queues.c.name == name)).first()
            if row is None:
                conn.execute(insert(queues).values(name=name, **_defaults()))
                return QueueConfig(name)
        return QueueConfig(**dict(row._mapping))

    def configure(self, name: str, **settings: Any) -> QueueConfig:
        self.config(name)
        with self.engine.begin() as conn:
            conn.execute(update(queues).where(queues.c.name == name).values(**settings))
        self._configs.pop(name, None)
        return self.config(name)

    def summary(self) -> list[dict[str, Any]]:
        """Every queue with counts per status and the age of its oldest waiting item."""
        query = (select(items.c.queue, items.c.status, func.count(), func.min(items.c.created_at))
                 .group_by(items.c.queue, items.c.status))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            names = [r[0] for r in conn.execute(select(queues.c.name)).all()]
        found: dict[str, dict[str, Any]] = {n: _empty_summary(n) for n in names}
        for queue, status, count, oldest in rows:
            entry = found.setdefault(queue, _empty_summary(queue))
            entry["counts"][status] = count
            if status == "new":
                entry["oldest_new_age"] = round(time.time() - oldest, 1)
        return sorted(found.values(), key=lambda q: q["name"])

    # -- items ----------------------------------------------------------------------------
    def add(self, queue: str, reference: str, payload: Any, *, priority: int = 0,
            defer_until: float | None = None, deadline: float | None = None,
            files: list[str] | None = None) -> tuple[Item, bool]:
        """Add an item; a reference already in the queue returns the existing item (and False)."""
        self.config(queue)
        now = time.time()
        row = dict(queue=queue, reference=reference, attempt=1, payload=payload, files=files,
                   priority=priority, defer_until=defer_until, deadline=deadline, status="new",
                   created_at=now, updated_at=now)
        try:
            with self.engine.begin() as conn:
                new_id = conn.execute(insert(items).values(**row)).inserted_primary_key[0]
        except IntegrityError:
            return self.by_reference(queue, reference), False
        return self.get(new_id), True

    def get(self, item_id: int) -> Item:
        with self.engine.connect() as conn:
            row = conn.execute(select(items).where(items.c.id == item_id)).first()
        if row is None:
            raise RunError(f"no queue item {item_id}")
        return _item(row)

    def by_reference(self, queue: str, reference: str) -> Item:
        query = (select(items).where(items.c.queue == queue, items.c.reference == reference)
                 .order_by(items.c.attempt.desc()).limit(1))
        with self.engine.connect() as conn:
            return _item(conn.execute(query).one())

    def by_run(self, run_id: str) -> Item | None:
        query = select(items).where(items.c.run_id == run_id).order_by(items.c.id.desc()).limit(1)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _item(row)

    def list(self, queue: str | None = None, status: str | None = None, limit: int = 100,
             offset: int = 0) -> list[Item]:
        query = select(items).order_by(items.c.id).limit(limit).offset(offset)
        if queue:
            query = query.where(items.c.queue == queue)
        if status:
            query = query.where(items.c.status == status)
        with self.engine.connect() as conn:
            return [_item(r) for r in conn.execute(query).all()]

    def busy(self, queue: str) -> int:
        """Items being worked on now (leased); items parked on a person do not count."""
        query = select(func.count()).select_from(items).where(
            items.c.queue == queue, items.c.status == "in_progress", items.c.lease_until.is_not(None))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def count(self, queue: str, status: str) -> int:
        query = select(func.count()).select_from(items).where(items.c.queue == queue,
                                                               items.c.status == status)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    # -- claiming and leases ----------------------------------------------------------------
    def claim(self, queue: str, owner: str, lease_seconds: float | None = None) -> Item | None:
        """Lease the next item (highest priority, then oldest) to `owner`; None when none is due
        or the queue's circuit breaker has paused it."""
        config = self.config(queue)
        now = time.time()
        if config.paused_until and config.paused_until > now:
            return None
        lease = lease_seconds if lease_seconds is not None else config.lease_seconds
        params = {"b_queue": queue, "b_now": now, "b_owner": owner, "b_until": now + lease,
                  "b_below": NO_LEVEL}
        with self._single.connect() as conn:
            return _claim_in(conn, params)

    def heartbeat(self, item_id: int, owner: str, lease_seconds: float) -> None:
        now = time.time()
        self._guarded(item_id, owner, lease_until=now + lease_seconds, updated_at=now)

    def park(self, item_id: int, owner: str, run_id: str) -> None:
        """Hold the item for a run that is waiting on a person: no lease to expire meanwhile."""
        self._guarded(item_id, owner, lease_owner=f"run:{run_id}", lease_until=None,
                      run_id=run_id, updated_at=time.time())

    def attach_run(self, item_id: int, owner: str, run_id: str) -> None:
        self._guarded(item_id, owner, run_id=run_id, updated_at=time.time())

    def release(self, item_id: int, owner: str) -> None:
        """Give the item back (a clean shutdown); its run is resumed by the next claimer."""
        self._guarded(item_id, owner, status="new", lease_owner=None, lease_until=None,
                      updated_at=time.time())

    def recover_expired(self) -> int:
        """Put items whose lease ran out back in their queue; returns how many."""
        now = time.time()
        with self._single.connect() as conn:
            # by queue name, so the claim index finds the leased items instead of a scan of
            # every item ever ended (every worker calls this each second)
            names = list(conn.execute(select(queues.c.name)).scalars())
            return conn.execute(_RECOVER, {"b_names": names, "b_now": now}).rowcount

    # -- outcomes ---------------------------------------------------------------------------
    def complete(self, item_id: int, owner: str, output: Any = None) -> Item:
        now = time.time()
        item = self._guarded(item_id, owner, status="done", output=output, lease_owner=None,
                             lease_until=None, finished_at=now, updated_at=now)
        if self.config(item.queue).consecutive_errors:
            self._breaker(item.queue, ok=True)
        return item

    def fail(self, item_id: int, owner: str, kind: str, error: str) -> Item | None:
        """Record a failure; an application failure under max_attempts gets a new attempt,
        which is returned. Business failures are final."""
        business = kind == "business"
        now = time.time()
        status = "business_exception" if business else "application_exception"
        item = self._guarded(item_id, owner, status=status, error_kind=kind, error=error,
                             lease_owner=None, lease_until=None, finished_at=now, updated_at=now)
        if business:
            return None
        config = self._breaker(item.queue, ok=False)
        return self._retry(item, config) if item.attempt < config.max_attempts else None

    def abandon(self, item_id: int) -> Item:
        now = time.time()
        with self.engine.begin() as conn:
            conn.execute(update(items).where(items.c.id == item_id, items.c.status.in_(("new", "in_progress")))
                         .values(status="abandoned", lease_owner=None, finished_at=now, updated_at=now))
        return self.get(item_id)

    def retry(self, item_id: int) -> Item:
        """A new attempt of an ended (failed or abandoned) item, linked to it — by a person's
        decision, so the queue's max_attempts does not apply."""
        item = self.get(item_id)
        if item.status not in ("business_exception", "application_exception", "abandoned"):
            raise RunError(f"item {item.id} is {item.status}: only a failed or abandoned item can be retried")
        return self._retry(item, self.config(item.queue))

    def set_priority(self, item_id: int, priority: int) -> Item:
        with self.engine.begin() as conn:
            conn.execute(update(items).where(items.c.id == item_id)
                         .values(priority=priority, updated_at=time.time()))
        return self.get(item_id)

    def _retry(self, item: Item, config: QueueConfig) -> Item:
        now = time.time()
        row = dict(queue=item.queue, reference=item.reference, attempt=item.attempt + 1,
                   origin_id=item.origin_id or item.id, previous_id=item.id, payload=item.payload,
                   files=item.files, priority=item.priority, deadline=item.deadline,
                   defer_until=now + config.retry_delay if config.retry_delay else None,
                   status="new", created_at=now, updated_at=now)
        with self.engine.begin() as conn:
            new_id = conn.execute(insert(items).values(**row)).inserted_primary_key[0]
        return self.get(new_id)

    def _breaker(self, queue: str, ok: bool) -> QueueConfig:
        """Count consecutive application errors; at the threshold, pause the queue a while."""
        config = self.config(queue)
        errors = 0 if ok else config.consecutive_errors + 1
        values: dict[str, Any] = {"consecutive_errors": errors}
        if errors >= config.breaker_threshold:
            values = {"consecutive_errors": 0, "paused_until": time.time() + config.breaker_cooldown}
        if ok and not config.consecutive_errors:
            return config
        with self.engine.begin() as conn:
            conn.execute(update(queues).where(queues.c.name == queue).values(**values))
        self._configs.pop(queue, None)
        return self.config(queue)

    def _guarded(self, item_id: int, owner: str, **values: Any) -> Item:
        """Update an item only while `owner` holds its lease; returns it as updated."""
        params = {"b_id": item_id, "b_owner": owner, "b_run_owner": f"run:{owner}",
                  **{f"v_{k}": v for k, v in values.items()}}
        with self._single.connect() as conn:
            row = conn.execute(_guarded_update(frozenset(values)), params).first()
        if row is None:
            raise LeaseLost(f"queue item {item_id} is no longer leased to {owner}")
        return _item(row)


NO_LEVEL = 2**62  # above every priority: the first probe looks at all levels


def _claim_in(conn: Connection, params: dict[str, Any]) -> Item | None:
    """Claim from the highest level with a due item; a level whose due items other claimers
    hold locked (PostgreSQL) gives way to the next one down."""
    while (row := conn.execute(_CLAIM, params).first()) is None:
        level = conn.execute(_TOP_LEVEL, params).scalar()
        if level is None:
            return None
        params["b_below"] = level
    return _item(row)


def _due() -> Any:
    return and_(items.c.queue == bindparam("b_queue"), items.c.status == "new",
                or_(items.c.defer_until.is_(None), items.c.defer_until <= bindparam("b_now")))


def _top_level_query() -> Any:
    return (select(items.c.priority)
            .where(_due(), items.c.priority < bindparam("b_below", type_=BigInteger))
            .order_by(items.c.priority.desc()).limit(1))


def _claim_statement() -> Any:
    pick = (select(items.c.id)
            .where(_due(), items.c.priority == _top_level_query().scalar_subquery())
            .order_by(items.c.id).limit(1)
            .with_for_update(skip_locked=True).scalar_subquery())
    return (update(items).where(items.c.id == pick, items.c.status == "new")
            .values(status="in_progress", lease_owner=bindparam("b_owner"),
                    lease_until=bindparam("b_until"), updated_at=bindparam("b_now"))
            .returning(*items.c))


def _recover_statement() -> Any:
    expired = and_(items.c.queue.in_(bindparam("b_names", expanding=True)),
                   items.c.status == "in_progress", items.c.lease_until < bindparam("b_now"))
    return (update(items).where(expired)
            .values(status="new", lease_owner=None, lease_until=None, updated_at=bindparam("b_now")))


# Statements are built once: building one costs more than SQLite takes to run it.
_CLAIM = _claim_statement()
_TOP_LEVEL = _top_level_query()
_RECOVER = _recover_statement()


@functools.cache
def _guarded_update(columns: frozenset[str]) -> Any:
    held = and_(items.c.id == bindparam("b_id"), items.c.status == "in_progress",
                or_(items.c.lease_owner == bindparam("b_owner"),
                    items.c.lease_owner == bindparam("b_run_owner")))
    values = {c: bindparam(f"v_{c}") for c in sorted(columns)}
    return update(items).where(held).values(**values).returning(*items.c)


def _defaults() -> dict[str, Any]:
    base = QueueConfig("x")
    return {k: v for k, v in base.__dict__.items() if k != "name"}


def _empty_summary(name: str) -> dict[str, Any]:
    return {"name": name, "counts": dict.fromkeys(STATUSES, 0), "oldest_new_age": None}
