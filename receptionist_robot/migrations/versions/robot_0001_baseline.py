"""Baseline: the robot's tables as first released (tours, their stops, visitor check-ins).

A frozen copy of the schema; `checkfirst` adopts a store made before migrations existed.

Revision ID: robot_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import JSON, Column, Float, Integer, String, Table

revision = "robot_0001"
down_revision = None
branch_labels = ("robot",)
depends_on = None

baseline = sa.MetaData()

Table(
    "robot_tours", baseline,
    Column("id", String(32), primary_key=True),
    Column("tour", String(200), nullable=False),
    Column("map", String(200), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("status", String(32), nullable=False),
    Column("started_at", Float, nullable=False),
    Column("finished_at", Float),
    Column("distance_m", Float),
    Column("duration_s", Float),
    Column("estops", Integer),
    Column("link_losses", Integer),
    Column("battery_start", Float),
    Column("battery_end", Float),
    Column("counters", JSON),
)
Table(
    "robot_tour_stops", baseline,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tour_id", String(32), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("location", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", String(200)),
    Column("at", Float, nullable=False),
)
Table(
    "robot_checkins", baseline,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("organisation", String(200), nullable=False),
    Column("host", String(200), nullable=False),
    Column("phone", String(32)),
    Column("lang", String(8), nullable=False),
    Column("at", Float, nullable=False),
)


def upgrade() -> None:
    baseline.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    baseline.drop_all(op.get_bind(), checkfirst=True)
