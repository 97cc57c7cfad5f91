"""Baseline: the engine's tables as first released (runs, step events, effects, queues,
tasks, triggers, users and tokens, the audit log, console sessions).

A frozen copy, not the live schema modules, so later edits there cannot change history.
`checkfirst` makes it adopt a store created before migrations existed: only the tables that
are missing are made.

Revision ID: rpa_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

revision = "rpa_0001"
down_revision = None
branch_labels = ("rpa",)
depends_on = None

baseline = sa.MetaData()

Table(
    "runs", baseline,
    Column("id", String(32), primary_key=True),
    Column("flow", String(200), nullable=False),
    Column("flow_path", Text, nullable=False),
    Column("status", String(32), nullable=False),
    Column("state", String(200), nullable=False),
    Column("visit", Integer, nullable=False),
    Column("step", Integer, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("retry_at", Float),
    Column("entered_at", Float),
    Column("pending_error", JSON),
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
Table(
    "step_events", baseline,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(32), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("visit", Integer, nullable=False),
    Column("state", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
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
Table(
    "effects", baseline,
    Column("key", String(200), primary_key=True),
    Column("run_id", String(32), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("activity", String(200), nullable=False),
    Column("intent", JSON),
    Column("status", String(16), nullable=False),
    Column("result", JSON),
    Column("issued", Integer, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("confirmed_at", Float),
    Index("ix_effects_run", "run_id"),
)
Table(
    "queues", baseline,
    Column("name", String(200), primary_key=True),
    Column("max_attempts", Integer, nullable=False),
    Column("lease_seconds", Float, nullable=False),
    Column("retry_delay", Float, nullable=False),
    Column("breaker_threshold", Integer, nullable=False),
    Column("breaker_cooldown", Float, nullable=False),
    Column("consecutive_errors", Integer, nullable=False),
    Column("paused_until", Float),
)
Table(
    "queue_items", baseline,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("queue", String(200), nullable=False),
    Column("reference", String(500), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("origin_id", Integer),
    Column("previous_id", Integer),
    Column("payload", JSON, nullable=False),
    Column("files", JSON),
    Column("priority", Integer, nullable=False),
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
Table(
    "tasks", baseline,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("run_id", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("form", JSON, nullable=False),
    Column("data", JSON),
    Column("attachments", JSON),
    Column("role", String(64), nullable=False),
    Column("due_at", Float),
    Column("status", String(32), nullable=False),
    Column("result", JSON),
    Column("completed_by", String(200)),
    Column("created_at", Float, nullable=False),
    Column("completed_at", Float),
    Index("ix_tasks_status", "status"),
)
Table(
    "trigger_state", baseline,
    Column("trigger", String(300), primary_key=True),
    Column("last_fired", Float, nullable=False),
)
Table(
    "auth_users", baseline,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(32), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", Float, nullable=False),
)
Table(
    "auth_tokens", baseline,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("auth_users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", Float, nullable=False),
)
Table(
    "audit_log", baseline,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("target", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False),
)
Table(
    "console_sessions", baseline,
    Column("token_hash", String(64), primary_key=True),
    Column("user_name", String(64), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
)


def upgrade() -> None:
    baseline.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    baseline.drop_all(op.get_bind(), checkfirst=True)
