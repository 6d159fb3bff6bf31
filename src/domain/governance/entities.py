"""The governed things: organizations, teams, users, virtual keys, budgets, end users, and
deployments stored in the database.

Field names are LiteLLM's, so management scripts written for it keep working. Money is in US
dollars. ``spend`` is what was spent in the current budget period; ``budget_reset_at`` is when
that period ends (``None``: the budget never resets).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from switchboard.domain.governance.roles import TeamRole, UserRole

T = TypeVar("T")


class Entity(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class Budgeted(Entity):
    """Spend limits and rate limits shared by every entity that can carry them."""

    max_budget: float | None = None
    soft_budget: float | None = None
    budget_duration: str | None = None
    budget_reset_at: datetime | None = None
    spend: float = 0.0
    tpm_limit: int | None = None
    rpm_limit: int | None = None
    max_parallel_requests: int | None = None
    budget_id: str | None = None  # a shared budget template (``/budget/new``) for unset limits
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: str | None = None


class Organization(Budgeted):
    organization_id: str
    organization_alias: str | None = None
    models: list[str] = Field(default_factory=list)


class TeamMember(Entity):
    user_id: str
    role: TeamRole = TeamRole.USER


class Team(Budgeted):
    team_id: str
    team_alias: str | None = None
    organization_id: str | None = None
    members: list[TeamMember] = Field(default_factory=list)
    models: list[str] = Field(default_factory=list)
    blocked: bool = False

    def role_of(self, user_id: str | None) -> TeamRole | None:
        for member in self.members:
            if member.user_id == user_id:
                return member.role
        return None


class User(Budgeted):
    user_id: str
    user_email: str | None = None
    user_alias: str | None = None
    user_role: UserRole = UserRole.INTERNAL_USER
    organization_id: str | None = None
    models: list[str] = Field(default_factory=list)


class VirtualKey(Budgeted):
    """A key as stored: ``token`` is the SHA-256 of the secret, which is never stored."""

    token: str
    key_name: str  # the masked secret, ``sk-...abcd``
    key_alias: str | None = None
    user_id: str | None = None
    team_id: str | None = None
    organization_id: str | None = None
    models: list[str] = Field(default_factory=list)
    allowed_routes: list[str] = Field(default_factory=list)
    model_rpm_limit: dict[str, int] = Field(default_factory=dict)
    model_tpm_limit: dict[str, int] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    expires: datetime | None = None
    blocked: bool = False


class BudgetRecord(Entity):
    """A named set of limits that keys, teams, organizations and end users can point at."""

    budget_id: str
    max_budget: float | None = None
    soft_budget: float | None = None
    budget_duration: str | None = None
    tpm_limit: int | None = None
    rpm_limit: int | None = None
    max_parallel_requests: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: str | None = None


class EndUser(Budgeted):
    """A customer of an app, named by the request's ``user`` field."""

    user_id: str
    alias: str | None = None
    blocked: bool = False


class ModelRecord(Entity):
    """A deployment added through ``/model/new``; served alongside the configuration's."""

    model_id: str
    model_name: str
    litellm_params: dict[str, Any]
    model_info: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: str | None = None


class Page(BaseModel, Generic[T]):
    """One page of a list, 1-based."""

    model_config = ConfigDict(defer_build=True)

    items: list[T]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size)) if self.size else 1
