"""spend quarantine: spend rows the database refused, kept with their reason

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 23:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sb_spend_quarantine",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("quarantined_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("row", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sb_spend_quarantine", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_spend_quarantine_request_id"), ["request_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sb_spend_quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_spend_quarantine_request_id"))
    op.drop_table("sb_spend_quarantine")
