"""The repositories the governance services work with, handed over as one value."""

from __future__ import annotations

from dataclasses import dataclass

from switchboard.domain.ports.audit import AuditLog
from switchboard.domain.ports.budgets import BudgetRepository
from switchboard.domain.ports.end_users import EndUserRepository
from switchboard.domain.ports.keys import KeyRepository
from switchboard.domain.ports.model_records import ModelRepository
from switchboard.domain.ports.orgs import OrgRepository
from switchboard.domain.ports.spend import SpendLedger
from switchboard.domain.ports.teams import TeamRepository
from switchboard.domain.ports.users import UserRepository


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
