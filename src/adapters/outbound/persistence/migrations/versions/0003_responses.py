"""stored Responses API responses (sb_responses)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 23:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sb_responses",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("input_items", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", "owner"),
    )
    with op.batch_alter_table("sb_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_responses_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sb_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_responses_expires_at"))
    op.drop_table("sb_responses")
