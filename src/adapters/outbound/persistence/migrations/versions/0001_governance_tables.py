"""governance tables

Revision ID: 0001
Revises:
Create Date: 2026-11-27 15:20:37.068494
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ = (sa, sqlmodel)


def upgrade() -> None:
    op.create_table(
        "sb_audit_log",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("object_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("object_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sb_audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_audit_log_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_audit_log_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_audit_log_object_id"), ["object_id"], unique=False)

    op.create_table(
        "sb_budgets",
        sa.Column("budget_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("max_budget", sa.Float(), nullable=True),
        sa.Column("soft_budget", sa.Float(), nullable=True),
        sa.Column("budget_duration", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("tpm_limit", sa.Integer(), nullable=True),
        sa.Column("rpm_limit", sa.Integer(), nullable=True),
        sa.Column("max_parallel_requests", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.PrimaryKeyConstraint("budget_id"),
    )
    op.create_table(
        "sb_end_users",
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("max_budget", sa.Float(), nullable=True),
        sa.Column("soft_budget", sa.Float(), nullable=True),
        sa.Column("budget_duration", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("budget_reset_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("spend_nanos", sa.BigInteger(), nullable=False),
        sa.Column("tpm_limit", sa.Integer(), nullable=True),
        sa.Column("rpm_limit", sa.Integer(), nullable=True),
        sa.Column("max_parallel_requests", sa.Integer(), nullable=True),
        sa.Column("budget_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("alias", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "sb_keys",
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("max_budget", sa.Float(), nullable=True),
        sa.Column("soft_budget", sa.Float(), nullable=True),
        sa.Column("budget_duration", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("budget_reset_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("spend_nanos", sa.BigInteger(), nullable=False),
        sa.Column("tpm_limit", sa.Integer(), nullable=True),
        sa.Column("rpm_limit", sa.Integer(), nullable=True),
        sa.Column("max_parallel_requests", sa.Integer(), nullable=True),
        sa.Column("budget_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("key_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("key_alias", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("organization_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("allowed_routes", sa.JSON(), nullable=False),
        sa.Column("model_rpm_limit", sa.JSON(), nullable=False),
        sa.Column("model_tpm_limit", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("expires", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    with op.batch_alter_table("sb_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_keys_key_alias"), ["key_alias"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_keys_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_keys_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_keys_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sb_models",
        sa.Column("model_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("model_name", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("litellm_params", sa.JSON(), nullable=False),
        sa.Column("model_info", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.PrimaryKeyConstraint("model_id"),
    )
    with op.batch_alter_table("sb_models", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_models_model_name"), ["model_name"], unique=False)

    op.create_table(
        "sb_organizations",
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("max_budget", sa.Float(), nullable=True),
        sa.Column("soft_budget", sa.Float(), nullable=True),
        sa.Column("budget_duration", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("budget_reset_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("spend_nanos", sa.BigInteger(), nullable=False),
        sa.Column("tpm_limit", sa.Integer(), nullable=True),
        sa.Column("rpm_limit", sa.Integer(), nullable=True),
        sa.Column("max_parallel_requests", sa.Integer(), nullable=True),
        sa.Column("budget_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("organization_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("organization_alias", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("organization_id"),
    )
    with op.batch_alter_table("sb_organizations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sb_organizations_organization_alias"), ["organization_alias"], unique=False
        )

    op.create_table(
        "sb_spend_logs",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("day", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("key_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("key_alias", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("organization_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("end_user", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("call_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("model_group", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("deployment_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("provider", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("total_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_nanos", sa.BigInteger(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("ttft_ms", sa.Float(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("error_code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("cache_hit", sa.Boolean(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sb_spend_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_spend_logs_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_spend_logs_end_user"), ["end_user"], unique=False)
        batch_op.create_index("ix_sb_spend_logs_key_day", ["key_hash", "day"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_spend_logs_model_group"), ["model_group"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_spend_logs_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_spend_logs_request_id"), ["request_id"], unique=False)
        batch_op.create_index("ix_sb_spend_logs_started_at", ["started_at"], unique=False)
        batch_op.create_index("ix_sb_spend_logs_team_day", ["team_id", "day"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_spend_logs_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sb_team_members",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id"),
    )
    with op.batch_alter_table("sb_team_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_team_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sb_teams",
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("max_budget", sa.Float(), nullable=True),
        sa.Column("soft_budget", sa.Float(), nullable=True),
        sa.Column("budget_duration", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("budget_reset_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("spend_nanos", sa.BigInteger(), nullable=False),
        sa.Column("tpm_limit", sa.Integer(), nullable=True),
        sa.Column("rpm_limit", sa.Integer(), nullable=True),
        sa.Column("max_parallel_requests", sa.Integer(), nullable=True),
        sa.Column("budget_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("team_alias", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("organization_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )
    with op.batch_alter_table("sb_teams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_teams_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_teams_team_alias"), ["team_alias"], unique=False)

    op.create_table(
        "sb_users",
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("max_budget", sa.Float(), nullable=True),
        sa.Column("soft_budget", sa.Float(), nullable=True),
        sa.Column("budget_duration", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("budget_reset_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("spend_nanos", sa.BigInteger(), nullable=False),
        sa.Column("tpm_limit", sa.Integer(), nullable=True),
        sa.Column("rpm_limit", sa.Integer(), nullable=True),
        sa.Column("max_parallel_requests", sa.Integer(), nullable=True),
        sa.Column("budget_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("user_email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("user_alias", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("user_role", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("organization_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    with op.batch_alter_table("sb_users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sb_users_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_users_user_email"), ["user_email"], unique=False)
        batch_op.create_index(batch_op.f("ix_sb_users_user_role"), ["user_role"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sb_users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_users_user_role"))
        batch_op.drop_index(batch_op.f("ix_sb_users_user_email"))
        batch_op.drop_index(batch_op.f("ix_sb_users_organization_id"))

    op.drop_table("sb_users")
    with op.batch_alter_table("sb_teams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_teams_team_alias"))
        batch_op.drop_index(batch_op.f("ix_sb_teams_organization_id"))

    op.drop_table("sb_teams")
    with op.batch_alter_table("sb_team_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_team_members_user_id"))

    op.drop_table("sb_team_members")
    with op.batch_alter_table("sb_spend_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_spend_logs_user_id"))
        batch_op.drop_index("ix_sb_spend_logs_team_day")
        batch_op.drop_index("ix_sb_spend_logs_started_at")
        batch_op.drop_index(batch_op.f("ix_sb_spend_logs_request_id"))
        batch_op.drop_index(batch_op.f("ix_sb_spend_logs_organization_id"))
        batch_op.drop_index(batch_op.f("ix_sb_spend_logs_model_group"))
        batch_op.drop_index("ix_sb_spend_logs_key_day")
        batch_op.drop_index(batch_op.f("ix_sb_spend_logs_end_user"))
        batch_op.drop_index(batch_op.f("ix_sb_spend_logs_day"))

    op.drop_table("sb_spend_logs")
    with op.batch_alter_table("sb_organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_organizations_organization_alias"))

    op.drop_table("sb_organizations")
    with op.batch_alter_table("sb_models", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_models_model_name"))

    op.drop_table("sb_models")
    with op.batch_alter_table("sb_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_keys_user_id"))
        batch_op.drop_index(batch_op.f("ix_sb_keys_team_id"))
        batch_op.drop_index(batch_op.f("ix_sb_keys_organization_id"))
        batch_op.drop_index(batch_op.f("ix_sb_keys_key_alias"))

    op.drop_table("sb_keys")
    op.drop_table("sb_end_users")
    op.drop_table("sb_budgets")
    with op.batch_alter_table("sb_audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sb_audit_log_object_id"))
        batch_op.drop_index(batch_op.f("ix_sb_audit_log_at"))
        batch_op.drop_index(batch_op.f("ix_sb_audit_log_actor"))
        batch_op.drop_index(batch_op.f("ix_sb_audit_log_action"))

    op.drop_table("sb_audit_log")
