"""Budget periods end on schedule: a background task starts the new period in the database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from switchboard.domain.errors import ServiceUnavailable
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.spend import SpendLedger

log = logging.getLogger(__name__)


class BudgetResetter:
    """Every ``interval`` seconds, reset the budgets whose period has ended, then tell every
    instance to reload what it cached. (Enforcement does not wait for this: counters are kept per
    period, so a new period starts from zero at its exact boundary.)"""

    def __init__(
        self,
        ledger: SpendLedger,
        clock: Clock,
        on_reset: Callable[[], Awaitable[None]],
        interval: float = 60.0,
    ) -> None:
        self._ledger = ledger
        self._clock = clock
        self._on_reset = on_reset
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> int:
        count = await self._ledger.reset_budgets(datetime.fromtimestamp(self._clock.now(), UTC))
        if count:
            log.info("budget periods reset", extra={"entities": count})
            await self._on_reset()
        return count

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
            except ServiceUnavailable:
                pass  # the database is away; try at the next tick
            except Exception:
                log.exception("budget reset failed")
            await asyncio.sleep(self._interval)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="switchboard-budget-resets")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
