"""Where shared budget templates are kept."""

from __future__ import annotations

from typing import Protocol

from switchboard.domain.governance.entities import BudgetRecord
from switchboard.domain.governance.filters import BudgetFilter
from switchboard.domain.ports.repository import Repository


class BudgetRepository(Repository[BudgetRecord, BudgetFilter], Protocol):
    """Budgets by ``budget_id``."""
