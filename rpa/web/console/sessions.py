"""Console sign-in sessions in the store (their own table) and a login rate limiter.

The cookie holds a random token; only its SHA-256 is stored, so a copy of the database opens
no session. Each session carries its CSRF token, checked on every POST.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Column, Engine, Float, MetaData, String, Table, delete, insert, select

from rpa.settings import integer

SESSION_SECONDS = 8 * 3600
metadata = MetaData()
sessions = Table(
    "console_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_name", String(64), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
)


@dataclass(frozen=True)
class Session:
    user_name: str
    csrf: str
    expires_at: float


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(engine: Engine, user_name: str) -> str:
    """A new session for `user_name`; returns the cookie token (shown once, stored hashed)."""
    token, now = secrets.token_urlsafe(32), time.time()
    row = dict(token_hash=_hash(token), user_name=user_name, csrf=secrets.token_urlsafe(32),
               created_at=now, expires_at=now + SESSION_SECONDS)
    with engine.begin() as conn:
        conn.execute(delete(sessions).where(sessions.c.expires_at < now))
        conn.execute(insert(sessions).values(**row))
    return token


def find_session(engine: Engine, token: str | None) -> Session | None:
    if not token:
        return None
    query = select(sessions).where(sessions.c.token_hash == _hash(token), sessions.c.expires_at > time.time())
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else Session(row.user_name, row.csrf, row.expires_at)


def close_session(engine: Engine, token: str | None) -> None:
    if token:
        with engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_hash == _hash(token)))


class RateLimiter:
    """Lockout: after `limit` failed sign-ins for one key (address and name) within `lockout`
    seconds (SMARTLAB_LOGIN_ATTEMPTS, SMARTLAB_LOGIN_LOCKOUT), that key is refused — even with
    the right password — until the oldest of those failures is `lockout` seconds old. A
    successful sign-in clears the key's count.

    Kept in memory: one web process serves the console; a restart forgets the count.
    """

    def __init__(self, limit: int | None = None, lockout: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = integer("SMARTLAB_LOGIN_ATTEMPTS") if limit is None else limit
        self.lockout = float(integer("SMARTLAB_LOGIN_LOCKOUT")) if lockout is None else lockout
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, key: str) -> bool:
        with self._lock:
            recent = self._recent(key)
            return len(recent) >= self.limit

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(self.clock())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        found = self._failures.setdefault(key, deque())
        while found and found[0] <= self.clock() - self.lockout:
            found.popleft()
        return found
