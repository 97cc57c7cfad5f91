"""Appending to and reading the audit log in the store (SQLite or PostgreSQL).

Appending reads the head and inserts the next entry after it; a writer that loses the race
(the UNIQUE `prev_hash`, the id, or SQLite's lock) reads the new head and tries again.
"""

from __future__ import annotations

import getpass
import os
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from rpa.audit.chain import GENESIS, Broken, Entry, canonical, entry_hash, first_broken
from rpa.audit.errors import AuditBusy, AuditError
from rpa.audit.schema import audit_log

MAX_TRIES = 200
BACKOFF_S = 0.002  # grows with each try, jittered so racing writers spread out


def record(engine: Engine, actor: str, action: str, target: str,
           detail: dict[str, Any] | None = None) -> Entry:
    """Append one entry. `detail` must be JSON-like and must hold no secret values."""
    try:
        text = canonical(detail or {})
    except (TypeError, ValueError) as exc:
        raise AuditError(f"audit detail for {action} is not plain JSON: {exc}") from exc
    for attempt in range(MAX_TRIES):
        try:
            return _append(engine, actor, action, target, text)
        except (IntegrityError, OperationalError) as exc:
            _raise_unless_race(exc)
        time.sleep(random.uniform(0, BACKOFF_S * (1 + attempt % 10)))
    raise AuditBusy(f"could not append {action} to the audit log after {MAX_TRIES} tries")


def _append(engine: Engine, actor: str, action: str, target: str, detail: str) -> Entry:
    with engine.begin() as conn:
        head = _head(conn)
        fields = {"id": head.id + 1 if head else 1, "at": _now(), "actor": actor,
                  "action": action, "target": target, "detail": detail,
                  "prev_hash": head.hash if head else GENESIS}
        entry = Entry(**fields, hash=entry_hash(**fields))
        conn.execute(insert(audit_log).values(**vars(entry)))
    return entry


# Words in a driver's message that mean "another writer got there first": try again.
RACE_WORDS = {IntegrityError: ("unique", "duplicate"), OperationalError: ("locked", "busy")}


def _raise_unless_race(exc: SQLAlchemyError) -> None:
    text = str(exc.orig).lower()
    words = next(w for kind, w in RACE_WORDS.items() if isinstance(exc, kind))
    if not any(word in text for word in words):
        raise AuditError(f"cannot write the audit log: {exc.orig}") from exc


def _head(conn: Connection) -> Entry | None:
    row = conn.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(1)).first()
    return Entry(**row._mapping) if row else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def head(engine: Engine) -> Entry | None:
    """The newest entry; writing its hash down elsewhere lets `verify` catch a cut tail."""
    with engine.connect() as conn:
        return _head(conn)


def entries(engine: Engine, limit: int | None = None) -> list[Entry]:
    """The newest `limit` entries (all when None), newest first."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        return [Entry(**row._mapping) for row in conn.execute(query)]


def verify(engine: Engine) -> Broken | None:
    """The first entry that was altered, removed or relinked, or None if the chain holds."""
    with engine.connect() as conn:
        return first_broken(_all(conn))


def _all(conn: Connection) -> Iterator[Entry]:
    for row in conn.execute(select(audit_log).order_by(audit_log.c.id)):
        yield Entry(**row._mapping)


def local_actor() -> str:
    """Who is at the keyboard of a CLI command: `SMARTLAB_ACTOR`, else `<login>@cli`."""
    if os.environ.get("SMARTLAB_ACTOR"):
        return os.environ["SMARTLAB_ACTOR"]
    try:
        return f"{getpass.getuser()}@cli"
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        return f"uid{os.getuid()}@cli"
