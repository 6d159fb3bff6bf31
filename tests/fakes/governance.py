"""Fakes for the governance ports: spend ledgers, a spend journal, a counter store that is down, alerts."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from switchboard.adapters.outbound.state.counters_memory import InMemoryCounterStore
from switchboard.domain.alerts import Alert
from switchboard.domain.errors import ServiceUnavailable
from switchboard.domain.governance.counters import Claim, Granted, Missing, Refused, Settlement
from switchboard.domain.governance.entities import Page
from switchboard.domain.governance.filters import SpendFilter
from switchboard.domain.governance.limits import ScopeKind
from switchboard.domain.governance.records import SpendGroup, SpendRecord
from switchboard.domain.ports.alerts import Alerts
from switchboard.domain.ports.counters import CounterStore, StateUnavailable
from switchboard.domain.ports.spend import GroupBy, SpendJournal, SpendLedger

_OWNER_FIELDS = {
    ScopeKind.KEY: "key_hash",
    ScopeKind.USER: "user_id",
    ScopeKind.TEAM: "team_id",
    ScopeKind.ORG: "organization_id",
    ScopeKind.END_USER: "end_user",
}


@dataclass
class FakeLedger(SpendLedger):
    """Keeps rows in a dict; ``down`` makes it unreachable; ``poison`` ids are refused."""

    rows: dict[str, SpendRecord] = field(default_factory=dict)
    down: bool = False
    poison: set[str] = field(default_factory=set)
    batches: list[int] = field(default_factory=list)
    totals_only: int = 0  # rows recorded with keep_rows off: counted, not stored
    quarantined: dict[str, tuple[SpendRecord, str]] = field(default_factory=dict)  # id -> (row, reason)
    down_for_quarantine: bool = False

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

    async def quarantine(self, rows: Sequence[SpendRecord], reason: str) -> int:
        if self.down or self.down_for_quarantine:
            raise ServiceUnavailable("down", code="database_unavailable")
        new = [r for r in rows if r.id not in self.quarantined]
        self.quarantined.update({r.id: (r, reason) for r in new})
        return len(new)

    async def spend_of(self, kind: ScopeKind, owner: str) -> tuple[float, float | None]:
        if self.down:
            raise ServiceUnavailable("down", code="database_unavailable")
        field_name = _OWNER_FIELDS[kind]
        rows = [*self.rows.values(), *(row for row, _ in self.quarantined.values())]
        return sum(r.cost for r in rows if getattr(r, field_name) == owner), None

    async def logs(self, filters: SpendFilter, page: int, size: int) -> Page[SpendRecord]:
        items = list(self.rows.values())
        return Page[SpendRecord](items=items, total=len(items), page=page, size=size)

    async def report(self, group_by: GroupBy, filters: SpendFilter) -> list[SpendGroup]:
        return []

    async def reset_budgets(self, now: datetime) -> int:
        return 0


@dataclass
class GatedLedger(FakeLedger):
    """A ledger whose writes wait for ``gate``; ``writing`` is set while one waits."""

    gate: asyncio.Event = field(default_factory=asyncio.Event)
    writing: asyncio.Event = field(default_factory=asyncio.Event)

    async def record(self, rows: Sequence[SpendRecord], *, keep_rows: bool = True) -> int:
        self.writing.set()
        await self.gate.wait()
        return await super().record(rows, keep_rows=keep_rows)


@dataclass
class MemoryJournal(SpendJournal):
    """A ``SpendJournal`` in memory: ``rows`` appended and not committed; ``left`` what an
    earlier process left behind (recovered until forgotten)."""

    rows: list[tuple[object, ...]] = field(default_factory=list)
    left: list[tuple[object, ...]] = field(default_factory=list)
    closed: bool = False

    def append(self, row: tuple[object, ...]) -> None:
        self.rows.append(row)

    def committed(self, count: int) -> None:
        assert count <= len(self.rows), "more rows committed than journaled"
        del self.rows[:count]

    def recovered(self) -> list[tuple[object, ...]]:
        return list(self.left)

    def forget_recovered(self) -> None:
        self.left = []

    def close(self) -> None:
        self.closed = True


@dataclass
class DownCounterStore(CounterStore):
    """A shared counter store that cannot be reached; counts how often it was tried."""

    attempts: int = 0

    async def acquire(self, claims: Sequence[Claim], member: str, now: float) -> Granted | Refused | Missing:
        self.attempts += 1
        raise StateUnavailable("down")

    async def settle(self, settlements: Sequence[Settlement], member: str, now: float) -> tuple[int, ...]:
        raise StateUnavailable("down")

    async def usage(self, claims: Sequence[Claim], now: float) -> tuple[int, ...]:
        raise StateUnavailable("down")


@dataclass
class SwitchableCounterStore(CounterStore):
    """An in-memory counter store that can be made unreachable (``down``), as Redis paused;
    ``attempts`` counts the calls that reached it (``reached`` is set by each), ``gate`` (when
    set) holds them."""

    inner: InMemoryCounterStore = field(default_factory=InMemoryCounterStore)
    down: bool = False
    attempts: int = 0
    gate: asyncio.Event | None = None
    reached: asyncio.Event = field(default_factory=asyncio.Event)  # set by every call that reaches it

    async def _reach(self) -> None:
        self.attempts += 1
        self.reached.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.down:
            raise StateUnavailable("paused")

    async def acquire(self, claims: Sequence[Claim], member: str, now: float) -> Granted | Refused | Missing:
        await self._reach()
        return await self.inner.acquire(claims, member, now)

    async def settle(self, settlements: Sequence[Settlement], member: str, now: float) -> tuple[int, ...]:
        await self._reach()
        return await self.inner.settle(settlements, member, now)

    async def usage(self, claims: Sequence[Claim], now: float) -> tuple[int, ...]:
        await self._reach()
        return await self.inner.usage(claims, now)


@dataclass
class RecordingAlerts(Alerts):
    sent: list[Alert] = field(default_factory=list)

    def notify(self, alert: Alert) -> None:
        self.sent.append(alert)
