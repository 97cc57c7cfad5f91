"""The case system's SQLite file: cases and login sessions.

Like a real back-office system it does not refuse a second case for the same form
reference; keeping forms from being keyed twice is the bot's job.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

CASE_FIELDS = ("form_ref", "licence_type", "applicant_name", "hkid", "date_of_birth", "phone",
               "email", "business_name", "premises_address")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_no TEXT UNIQUE,
    {", ".join(f"{f} TEXT NOT NULL" for f in CASE_FIELDS)},
    status TEXT NOT NULL DEFAULT 'received',
    created_by TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_form_ref ON cases (form_ref);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    created_at REAL NOT NULL
);
"""


class CaseStore:
    """One SQLite file; a connection per call, so every server thread may use it."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.row_factory = sqlite3.Row
        try:
            yield conn
        finally:
            conn.close()

    def create_case(self, values: dict[str, str], username: str) -> str:
        """Insert a case and give it its number (`LA-<year>-<id>`) in one transaction."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            cursor = conn.execute(
                f"INSERT INTO cases ({', '.join(CASE_FIELDS)}, created_by, created_at) "
                f"VALUES ({', '.join('?' for _ in CASE_FIELDS)}, ?, ?)",
                [values.get(f, "") for f in CASE_FIELDS] + [username, time.time()])
            case_no = f"LA-{date.today().year}-{cursor.lastrowid:06d}"
            conn.execute("UPDATE cases SET case_no = ? WHERE id = ?", (case_no, cursor.lastrowid))
            conn.execute("COMMIT")
        return case_no

    def find(self, form_ref: str = "") -> list[dict[str, Any]]:
        """Cases whose form reference matches (case-insensitive), newest first; all when empty."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT * FROM cases WHERE ? = '' OR form_ref = ? COLLATE NOCASE "
                "ORDER BY id DESC LIMIT 200", (form_ref.strip(), form_ref.strip())).fetchall()
        return [dict(r) for r in rows]

    def get(self, case_no: str) -> dict[str, Any] | None:
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM cases WHERE case_no = ?", (case_no,)).fetchone()
        return dict(row) if row else None

    def open_session(self, username: str) -> str:
        token = secrets.token_urlsafe(24)
        with self._connect() as conn:
            conn.execute("INSERT INTO sessions VALUES (?, ?, ?)", (token, username, time.time()))
        return token

    def session_user(self, token: str | None) -> str | None:
        if not token:
            return None
        with self._connect() as conn:
            row = conn.execute("SELECT username FROM sessions WHERE token = ?", (token,)).fetchone()
        return row["username"] if row else None

    def close_session(self, token: str | None) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM sessions WHERE token = ?", (token or "",))
