"""The store: runs, step events and the effect ledger in SQLite (WAL) or PostgreSQL."""

from rpa.store.db import database_url, open_engine
from rpa.store.queues import Item, LeaseLost, QueueStore
from rpa.store.runs import ACTIVE, FINAL, Effect, RunRecord, RunStore
from rpa.store.tasks import Task, TaskStore

__all__ = [
    "ACTIVE",
    "Effect",
    "FINAL",
    "Item",
    "LeaseLost",
    "QueueStore",
    "RunRecord",
    "RunStore",
    "Task",
    "TaskStore",
    "database_url",
    "open_engine",
]
