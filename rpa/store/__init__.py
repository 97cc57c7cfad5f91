"""The store: runs, step events and the effect ledger in SQLite (WAL) or PostgreSQL."""

from rpa.store.db import database_url, open_engine
from rpa.store.runs import ACTIVE, FINAL, Effect, RunRecord, RunStore

__all__ = ["ACTIVE", "Effect", "FINAL", "RunRecord", "RunStore", "database_url", "open_engine"]
