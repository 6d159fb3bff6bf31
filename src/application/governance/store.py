"""The repositories the governance services work with, handed over as one value."""

from __future__ import annotations

from dataclasses import dataclass

from domain.ports.audit import AuditLog
from domain.ports.budgets import BudgetRepository
from domain.ports.end_users import EndUserRepository
from domain.ports.keys import KeyRepository
from domain.ports.model_records import ModelRepository
from domain.ports.orgs import OrgRepository
from domain.ports.spend import SpendLedger
from domain.ports.teams import TeamRepository
from domain.ports.users import UserRepository


@dataclass(frozen=True)
class GovernanceStore:
    keys: KeyRepository
    teams: TeamRepository
    users: UserRepository
    orgs: OrgRepository
    budgets: BudgetRepository
    end_users: EndUserRepository
    models: ModelRepository
    ledger: SpendLedger
    audit: AuditLog
