"""The tables, as SQLModel classes. Column names follow the domain's field names, so rows map
to entities field by field, with two exceptions: ``metadata`` is ``meta`` here (SQLAlchemy
takes the attribute name), and money is stored as integer nano-dollars (``spend_nanos``,
``cost_nanos``) so that sums are exact on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Text
from sqlmodel import Field, SQLModel


def _json_list() -> Any:
    return Field(default_factory=list, sa_type=JSON)


def _json_dict() -> Any:
    return Field(default_factory=dict, sa_type=JSON)


class Stamped(SQLModel):
    meta: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, sa_column_kwargs={"name": "metadata"})
    created_at: datetime | None = Field(default=None, index=False)
    updated_at: datetime | None = None
    created_by: str | None = Field(default=None, max_length=256)


class BudgetColumns(Stamped):
    max_budget: float | None = None
    soft_budget: float | None = None
    budget_duration: str | None = Field(default=None, max_length=32)
    budget_reset_at: datetime | None = None
    spend_nanos: int = Field(default=0, sa_type=BigInteger)  # dollars x 1e9: exact sums everywhere
    tpm_limit: int | None = None
    rpm_limit: int | None = None
    max_parallel_requests: int | None = None
    budget_id: str | None = Field(default=None, max_length=256)


class OrgRow(BudgetColumns, table=True):
    __tablename__ = "sb_organizations"
    organization_id: str = Field(primary_key=True, max_length=256)
    organization_alias: str | None = Field(default=None, max_length=256, index=True)
    models: list[str] = _json_list()


class TeamRow(BudgetColumns, table=True):
    __tablename__ = "sb_teams"
    team_id: str = Field(primary_key=True, max_length=256)
    team_alias: str | None = Field(default=None, max_length=256, index=True)
    organization_id: str | None = Field(default=None, max_length=256, index=True)
    models: list[str] = _json_list()
    blocked: bool = False


class TeamMemberRow(SQLModel, table=True):
    __tablename__ = "sb_team_members"
    team_id: str = Field(primary_key=True, max_length=256)
    user_id: str = Field(primary_key=True, max_length=256, index=True)
    role: str = Field(max_length=32)


class UserRow(BudgetColumns, table=True):
    __tablename__ = "sb_users"
    user_id: str = Field(primary_key=True, max_length=256)
    user_email: str | None = Field(default=None, max_length=320, index=True)
    user_alias: str | None = Field(default=None, max_length=256)
    user_role: str = Field(max_length=32, index=True)
    organization_id: str | None = Field(default=None, max_length=256, index=True)
    models: list[str] = _json_list()


class KeyRow(BudgetColumns, table=True):
    __tablename__ = "sb_keys"
    token: str = Field(primary_key=True, max_length=64)
    key_name: str = Field(max_length=64)
    key_alias: str | None = Field(default=None, max_length=256, index=True)
    user_id: str | None = Field(default=None, max_length=256, index=True)
    team_id: str | None = Field(default=None, max_length=256, index=True)
    organization_id: str | None = Field(default=None, max_length=256, index=True)
    models: list[str] = _json_list()
    allowed_routes: list[str] = _json_list()
    model_rpm_limit: dict[str, int] = _json_dict()
    model_tpm_limit: dict[str, int] = _json_dict()
    tags: list[str] = _json_list()
    expires: datetime | None = None
    blocked: bool = False


class BudgetRow(SQLModel, table=True):
    __tablename__ = "sb_budgets"
    budget_id: str = Field(primary_key=True, max_length=256)
    max_budget: float | None = None
    soft_budget: float | None = None
    budget_duration: str | None = Field(default=None, max_length=32)
    tpm_limit: int | None = None
    rpm_limit: int | None = None
    max_parallel_requests: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: str | None = Field(default=None, max_length=256)


class EndUserRow(BudgetColumns, table=True):
    __tablename__ = "sb_end_users"
    user_id: str = Field(primary_key=True, max_length=256)
    alias: str | None = Field(default=None, max_length=256)
    blocked: bool = False


class ModelRow(SQLModel, table=True):
    __tablename__ = "sb_models"
    model_id: str = Field(primary_key=True, max_length=256)
    model_name: str = Field(max_length=256, index=True)
    litellm_params: dict[str, Any] = _json_dict()
    model_info: dict[str, Any] = _json_dict()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: str | None = Field(default=None, max_length=256)


SPEND_TABLE = "sb_spend_logs"


class SpendRow(SQLModel, table=True):
    __tablename__ = SPEND_TABLE
    __table_args__ = (
        Index("ix_sb_spend_logs_started_at", "started_at"),
        Index("ix_sb_spend_logs_key_day", "key_hash", "day"),
        Index("ix_sb_spend_logs_team_day", "team_id", "day"),
    )
    id: str = Field(primary_key=True, max_length=64)
    request_id: str = Field(max_length=128, index=True)
    started_at: datetime
    day: str = Field(max_length=10, index=True)
    key_hash: str | None = Field(default=None, max_length=64)
    key_alias: str | None = Field(default=None, max_length=256)
    user_id: str | None = Field(default=None, max_length=256, index=True)
    team_id: str | None = Field(default=None, max_length=256)
    organization_id: str | None = Field(default=None, max_length=256, index=True)
    end_user: str | None = Field(default=None, max_length=256, index=True)
    call_type: str = Field(max_length=32)
    model_group: str = Field(max_length=256, index=True)
    deployment_id: str | None = Field(default=None, max_length=256)
    provider: str | None = Field(default=None, max_length=64)
    model: str | None = Field(default=None, max_length=256)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost_nanos: int = Field(default=0, sa_type=BigInteger)
    latency_ms: float = 0.0
    ttft_ms: float | None = None
    status: str = Field(max_length=16)
    error_code: str | None = Field(default=None, max_length=64)
    cache_hit: bool = False
    tags: list[str] = _json_list()


class SpendQuarantineRow(SQLModel, table=True):
    """A spend row the database refused, kept whole (as JSON text) with why; its totals were
    moved when it was quarantined."""

    __tablename__ = "sb_spend_quarantine"
    id: str = Field(primary_key=True, max_length=64)
    request_id: str = Field(max_length=128, index=True)
    quarantined_at: datetime
    reason: str = Field(max_length=256)
    row: str = Field(sa_type=Text)


class AuditRow(SQLModel, table=True):
    __tablename__ = "sb_audit_log"
    id: str = Field(primary_key=True, max_length=64)
    at: datetime = Field(index=True)
    actor: str = Field(max_length=256, index=True)
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(max_length=32)
    object_id: str = Field(max_length=256, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class ResponseRow(SQLModel, table=True):
    """A stored Responses API response (``POST /v1/responses`` with ``store``), owned by the key
    (its hash) that created it; gone after ``expires_at`` (epoch seconds; ``None``: kept)."""

    __tablename__ = "sb_responses"
    id: str = Field(primary_key=True, max_length=128)
    owner: str = Field(primary_key=True, max_length=128)
    team_id: str | None = Field(default=None, max_length=256)
    response: dict[str, Any] = _json_dict()
    input_items: list[Any] = _json_list()
    created_at: float = 0.0
    expires_at: float | None = Field(default=None, index=True)
