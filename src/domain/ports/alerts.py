"""Alerts for people: a soft budget crossed, a budget used up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

AlertKind = Literal["soft_budget_crossed", "budget_exceeded"]


@dataclass(frozen=True, slots=True)
class BudgetAlert:
    kind: AlertKind
    scope: str  # "key", "user", "team", "org", "end_user"
    scope_id: str  # a key hash, a user id...
    spend: float
    soft_budget: float | None
    max_budget: float | None


class AlertSink(Protocol):
    def alert(self, alert: BudgetAlert) -> None:
        """Hand over an alert; never blocks, never raises (delivery happens off the hot path)."""
        ...
