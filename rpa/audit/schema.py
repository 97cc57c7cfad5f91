"""The audit log's table, on its own MetaData; made by the `rpa` migrations branch.

`prev_hash` is UNIQUE: two writers that read the same head cannot both append after it, so
the chain never forks, whatever the database or the number of processes.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # previous id + 1, hashed
    Column("at", String(40), nullable=False),  # ISO 8601 UTC, microseconds
    Column("actor", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("target", Text, nullable=False),
    Column("detail", Text, nullable=False),  # canonical JSON text, hashed as stored
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False),
)
