"""Tours record why they ended, what the base was left in, how far off the dock it stopped,
and which process ran them (`pid@host`, so a tour whose controller was killed can be closed).

Tours recorded before this revision have none of these (NULL).

Revision ID: robot_0002
Revises: robot_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "robot_0002"
down_revision = "robot_0001"
branch_labels = None
depends_on = None

COLUMNS = (("reason", sa.String(500)), ("base_state", sa.String(500)), ("dock_offset_m", sa.Float),
           ("owner", sa.String(300)))


def upgrade() -> None:
    with op.batch_alter_table("robot_tours") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("robot_tours") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
