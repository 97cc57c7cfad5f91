"""Runs record the hash of their flow's source, so a resume after an edit can be refused.

Runs made before this revision have no hash; they resume as before (nothing to compare).

Revision ID: rpa_0002
Revises: rpa_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "rpa_0002"
down_revision = "rpa_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("runs")}
    if "flow_hash" in present:  # a store adopted from tables made by the live schema module
        return
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("flow_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("flow_hash")
