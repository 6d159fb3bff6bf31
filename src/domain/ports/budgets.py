"""Where shared budget templates are kept."""

from __future__ import annotations

from typing import Protocol

from switchboard.domain.governance.entities import BudgetRecord
from switchboard.domain.ports.repository import Repository


class BudgetRepository(Repository[BudgetRecord], Protocol):
    """Budgets by ``budget_id``. No filters."""
