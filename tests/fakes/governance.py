"""Fakes for the governance ports: a spend ledger, a counter store that is down, alerts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from switchboard.domain.alerts import Alert
from switchboard.domain.errors import ServiceUnavailable
from switchboard.domain.governance.counters import Claim, Granted, Refused, Settlement
from switchboard.domain.governance.entities import Page
from switchboard.domain.governance.filters import SpendFilter
from switchboard.domain.governance.records import SpendGroup, SpendRecord
from switchboard.domain.ports.counters import StateUnavailable
from switchboard.domain.ports.spend import GroupBy


@dataclass
class FakeLedger:
    """Keeps rows in a dict; ``down`` makes it unreachable; ``poison`` ids are refused."""

    rows: dict[str, SpendRecord] = field(default_factory=dict)
    down: bool = False
    poison: set[str] = field(default_factory=set)
    batches: list[int] = field(default_factory=list)
    totals_only: int = 0  # rows recorded with keep_rows off: counted, not stored

    async def record(self, rows: Sequence[SpendRecord], *, keep_rows: bool = True) -> int:
        if self.down:
            raise ServiceUnavailable("down", code="database_unavailable")
        if any(r.id in self.poison for r in rows):
            raise ValueError("the database refused a row")
        self.batches.append(len(rows))
        if not keep_rows:
            self.totals_only += len(rows)
            return len(rows)
        new = [r for r in rows if r.id not in self.rows]
        self.rows.update({r.id: r for r in new})
        return len(new)

    async def logs(self, filters: SpendFilter, page: int, size: int) -> Page[SpendRecord]:
        items = list(self.rows.values())
        return Page[SpendRecord](items=items, total=len(items), page=page, size=size)

    async def report(self, group_by: GroupBy, filters: SpendFilter) -> list[SpendGroup]:
        return []

    async def reset_budgets(self, now: datetime) -> int:
        return 0


@dataclass
class DownCounterStore:
    """A shared counter store that cannot be reached; counts how often it was tried."""

    attempts: int = 0

    async def acquire(self, claims: Sequence[Claim], member: str, now: float) -> Granted | Refused:
        self.attempts += 1
        raise StateUnavailable("down")

    async def settle(self, settlements: Sequence[Settlement], member: str, now: float) -> tuple[int, ...]:
        raise StateUnavailable("down")

    async def usage(self, claims: Sequence[Claim], now: float) -> tuple[int, ...]:
        raise StateUnavailable("down")


@dataclass
class RecordingAlerts:
    sent: list[Alert] = field(default_factory=list)

    def notify(self, alert: Alert) -> None:
        self.sent.append(alert)
