"""What a budget counter holds when it has to be made again (it expired, or Redis lost it to a
FLUSHALL, a restart without persistence or an eviction): the spend the database has committed
for its period, plus this instance's rows not yet written (queued, journaled, being written).
Never the spend a cached principal carried, which can be a cache TTL and a flush interval old."""

from __future__ import annotations

from dataclasses import replace

from switchboard.application.governance.spend_writer import SpendWriter
from switchboard.domain.governance.counters import to_units
from switchboard.domain.governance.limits import Scope
from switchboard.domain.ports.spend import SpendLedger


class BudgetRehydration:
    """Reads a scope's spend for a budget counter being remade. Rows another instance has queued
    and not yet written (at most its flush interval's worth) are not seen: the README states
    this bound."""

    def __init__(self, ledger: SpendLedger, writer: SpendWriter | None = None) -> None:
        self._ledger = ledger
        self._writer = writer

    def attach(self, writer: SpendWriter) -> None:
        """The writer whose queued rows count too (built after the hook that reads them)."""
        self._writer = writer

    async def spent_units(self, scope: Scope, now: float) -> int:
        """``scope``'s spend in the budget period ``now`` falls in, in nano-dollars. Raises
        ``ServiceUnavailable`` when the database cannot say."""
        spend, reset_at = await self._ledger.spend_of(scope.kind, scope.id)
        committed = replace(scope, spend=spend, reset_at=reset_at).spent_in(scope.period(now))
        queued = self._writer.queued_cost(scope.kind.value, scope.id) if self._writer is not None else 0.0
        return to_units(committed + queued)
