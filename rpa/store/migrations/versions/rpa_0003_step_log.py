"""The append-only step log: one row per step boundary, keyed (run_id, seq).

Runs made before this revision have no rows; their position stays in their run row and they
resume from it (their first boundary after the upgrade starts their log).

Revision ID: rpa_0003
Revises: rpa_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "rpa_0003"
down_revision = "rpa_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "step_log" in sa.inspect(op.get_bind()).get_table_names():  # adopted from the live schema
        return
    op.create_table(
        "step_log",
        sa.Column("run_id", sa.String(32), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("state", sa.String(200), nullable=False),
        sa.Column("visit", sa.Integer, nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("retry_at", sa.Float),
        sa.Column("entered_at", sa.Float),
        sa.Column("pending_error", sa.JSON),
        sa.Column("vars", sa.JSON, nullable=False),
        sa.Column("events", sa.JSON, nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("step_log")
