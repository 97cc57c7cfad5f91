"""The store's tables (SQLAlchemy Core): runs, the step log, step events, the effect ledger,
work queues, human tasks and trigger bookkeeping."""

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
    UniqueConstraint,
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
    Column("flow_hash", String(64)),  # sha256 of the flow's source when the run started
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

# One row per step boundary, appended and never updated: the run's position and variables
# after the boundary and the timeline events it closed. A run's position is its last row
# (the columns of `runs` hold it only for runs without rows and at status changes).
# WITHOUT ROWID on SQLite: the rows live in the (run_id, seq) key's own B-tree.
step_log = Table(
    "step_log",
    metadata,
    Column("run_id", String(32), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("state", String(200), nullable=False),
    Column("visit", Integer, nullable=False),
    Column("step", Integer, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("retry_at", Float),
    Column("entered_at", Float),
    Column("pending_error", JSON),
    Column("vars", JSON, nullable=False),
    Column("events", JSON, nullable=False),  # the boundary's timeline events, oldest first
    Column("at", Float, nullable=False),
    sqlite_with_rowid=False,
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

queues = Table(
    "queues",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("max_attempts", Integer, nullable=False, default=3),
    Column("lease_seconds", Float, nullable=False, default=60.0),
    Column("retry_delay", Float, nullable=False, default=0.0),
    Column("breaker_threshold", Integer, nullable=False, default=5),  # consecutive app errors
    Column("breaker_cooldown", Float, nullable=False, default=30.0),
    Column("consecutive_errors", Integer, nullable=False, default=0),
    Column("paused_until", Float),
)

items = Table(
    "queue_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("queue", String(200), nullable=False),
    Column("reference", String(500), nullable=False),
    Column("attempt", Integer, nullable=False, default=1),
    Column("origin_id", Integer),  # the first attempt of this item (lineage)
    Column("previous_id", Integer),  # the attempt this one retries
    Column("payload", JSON, nullable=False),
    Column("files", JSON),
    Column("priority", Integer, nullable=False, default=0),
    Column("defer_until", Float),
    Column("deadline", Float),
    Column("status", String(32), nullable=False),
    Column("run_id", String(32)),
    Column("lease_owner", String(200)),
    Column("lease_until", Float),
    Column("output", JSON),
    Column("error_kind", String(64)),
    Column("error", Text),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("finished_at", Float),
    UniqueConstraint("queue", "reference", "attempt", name="uq_item_reference"),
    Index("ix_items_claim", "queue", "status", "priority", "id"),
    Index("ix_items_run", "run_id"),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, unique=True),  # the step's idempotency key
    Column("run_id", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("form", JSON, nullable=False),  # a JSON Schema for the submitted data
    Column("data", JSON),  # what the person is shown
    Column("attachments", JSON),
    Column("role", String(64), nullable=False),
    Column("due_at", Float),
    Column("status", String(32), nullable=False),  # open | done | escalated | cancelled
    Column("result", JSON),
    Column("completed_by", String(200)),
    Column("created_at", Float, nullable=False),
    Column("completed_at", Float),
    Index("ix_tasks_status", "status"),
)

trigger_state = Table(
    "trigger_state",
    metadata,
    Column("trigger", String(300), primary_key=True),  # flow path + trigger index
    Column("last_fired", Float, nullable=False),
)
