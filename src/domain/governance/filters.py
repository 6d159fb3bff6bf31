"""What a list of governed things can be narrowed by: one frozen value per repository.

A field left ``None`` does not narrow; the fields that are set must all match (equality). The
field names are the stored fields' names, so a repository can read them as columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, kw_only=True)
class KeyFilter:
    user_id: str | None = None
    team_id: str | None = None
    organization_id: str | None = None
    key_alias: str | None = None
    budget_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class TeamFilter:
    organization_id: str | None = None
    team_alias: str | None = None
    budget_id: str | None = None
    member: str | None = None  # a user id: teams this user is a member of


@dataclass(frozen=True, kw_only=True)
class UserFilter:
    user_role: str | None = None
    user_email: str | None = None
    organization_id: str | None = None
    budget_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class OrgFilter:
    organization_alias: str | None = None
    budget_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class BudgetFilter:
    """Budget templates are listed whole."""


@dataclass(frozen=True, kw_only=True)
class EndUserFilter:
    budget_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ModelFilter:
    model_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class AuditFilter:
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None
    actor: str | None = None


@dataclass(frozen=True, kw_only=True)
class SpendFilter:
    """Spend rows; ``start`` and ``end`` bound ``started_at`` to ``[start, end)``."""

    key_hash: str | None = None
    user_id: str | None = None
    team_id: str | None = None
    organization_id: str | None = None
    end_user: str | None = None
    request_id: str | None = None
    model_group: str | None = None
    status: str | None = None
    start: datetime | None = None
    end: datetime | None = None
