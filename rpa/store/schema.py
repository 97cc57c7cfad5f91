"""The store's tables (SQLAlchemy Core): runs, step events and the effect ledger."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("flow", String(200), nullable=False),
    Column("flow_path", Text, nullable=False),
    Column("status", String(32), nullable=False),
    Column("state", String(200), nullable=False),
    Column("visit", Integer, nullable=False, default=1),  # how many states this run has entered
    Column("step", Integer, nullable=False, default=0),  # next step index in the state
    Column("attempt", Integer, nullable=False, default=1),
    Column("retry_at", Float),  # epoch seconds; a retry's backoff survives a restart
    Column("entered_at", Float),  # when the current state was entered (for its timeout)
    Column("pending_error", JSON),  # an error waiting for `finally:` steps before routing
    Column("inputs", JSON, nullable=False),
    Column("vars", JSON, nullable=False),
    Column("item", JSON),
    Column("owner", String(200)),
    Column("parent_id", String(32)),
    Column("error", Text),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("finished_at", Float),
    Index("ix_runs_status", "status"),
    Index("ix_runs_created", "created_at"),
)

events = Table(
    "step_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(32), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("visit", Integer, nullable=False),
    Column("state", String(200), nullable=False),
    Column("kind", String(16), nullable=False),  # step | transition | run
    Column("step", Integer),
    Column("activity", String(200)),
    Column("attempt", Integer),
    Column("status", String(32), nullable=False),
    Column("duration_ms", Float),
    Column("error_kind", String(64)),
    Column("error", Text),
    Column("output", JSON),
    Column("at", Float, nullable=False),
    Index("ix_events_run", "run_id", "id"),
)

effects = Table(
    "effects",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("run_id", String(32), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("activity", String(200), nullable=False),
    Column("intent", JSON),
    Column("status", String(16), nullable=False),  # pending | confirmed
    Column("result", JSON),
    Column("issued", Integer, nullable=False, default=1),  # how many times it was sent
    Column("created_at", Float, nullable=False),
    Column("confirmed_at", Float),
    Index("ix_effects_run", "run_id"),
)
