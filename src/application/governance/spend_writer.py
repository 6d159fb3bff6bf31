"""One spend row per call, written in batches off the hot path.

``emit`` (an ``EventSink``) turns an outcome into a row and queues it: no I/O, no await. A
background task writes a batch when ``batch_size`` rows wait or every ``interval`` seconds.
The queue is bounded: when the database is away long enough to fill it, further rows are
dropped, counted and logged (the counters behind budgets still hold every call). A batch the
database refuses is retried row by row, so one bad row cannot sink the others. ``stop``
writes everything still queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from datetime import UTC, datetime

from domain.calls import CallOutcome
from domain.errors import LimitReached, RequestRejected, ServiceUnavailable
from domain.governance.prices import cost_of
from domain.governance.records import SpendRecord, SpendStatus
from domain.ports.clock import Clock
from domain.ports.ids import IdSource
from domain.ports.spend import SpendLedger

log = logging.getLogger(__name__)


def _status(outcome: CallOutcome) -> SpendStatus:
    error = outcome.error
    if error is None:
        return "success"
    if outcome.deployment is None and isinstance(error, LimitReached | RequestRejected):
        return "rejected"
    return "failure"


class SpendWriter:
    def __init__(
        self,
        ledger: SpendLedger,
        clock: Clock,
        ids: IdSource,
        *,
        max_queue: int = 100_000,
        batch_size: int = 500,
        interval: float = 1.0,
    ) -> None:
        self._ledger = ledger
        self._clock = clock
        self._ids = ids
        self._queue: deque[SpendRecord] = deque()
        self._max = max_queue
        self._batch = batch_size
        self._interval = interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.written = 0
        self.dropped = 0
        self.poisoned = 0

    def row(self, outcome: CallOutcome) -> SpendRecord:
        info, principal = outcome.info, outcome.info.ctx.principal
        usage, deployment = outcome.usage, outcome.deployment
        cost = outcome.cost if outcome.cost is not None else cost_of(deployment, usage)
        end_user = getattr(info.request, "user", None)
        return SpendRecord.model_construct(
            id=self._ids.new(),
            request_id=info.ctx.request_id,
            started_at=datetime.fromtimestamp(self._clock.now() - outcome.latency, UTC),
            key_hash=principal.key_hash or None,
            key_alias=principal.key_alias,
            user_id=principal.user_id,
            team_id=principal.team_id,
            organization_id=principal.org_id,
            end_user=end_user if isinstance(end_user, str) and end_user else None,
            call_type=info.kind,
            model_group=info.model_group,
            deployment_id=deployment.id if deployment else None,
            provider=deployment.provider if deployment else None,
            model=deployment.model if deployment else None,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            total_tokens=usage.total_tokens if usage else 0,
            cost=cost,
            latency_ms=outcome.latency * 1000,
            ttft_ms=outcome.time_to_first_token * 1000 if outcome.time_to_first_token is not None else None,
            status=_status(outcome),
            error_code=(outcome.error.code or type(outcome.error).__name__) if outcome.error else None,
            cache_hit=outcome.cache_hit,
            tags=[*info.ctx.tags, *principal.tags],
        )

    def emit(self, outcome: CallOutcome) -> None:
        try:
            record = self.row(outcome)
        except Exception:
            log.exception("could not make a spend row")
            return
        if len(self._queue) >= self._max:
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.error("spend queue full (%d rows): %d rows dropped so far", self._max, self.dropped)
            return
        self._queue.append(record)
        if len(self._queue) >= self._batch:
            self._wake.set()

    @property
    def pending(self) -> int:
        return len(self._queue)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="switchboard-spend-writer")

    async def stop(self, timeout: float = 30.0) -> None:
        """Stop the background task and write what is queued (give up after ``timeout``)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            async with asyncio.timeout(timeout):
                while self._queue:
                    if not await self.flush():
                        await asyncio.sleep(0.5)
        except TimeoutError:
            log.error("spend writer stopped with %d rows unwritten", len(self._queue))

    async def _run(self) -> None:
        backoff = self._interval
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(backoff):
                    await self._wake.wait()
            self._wake.clear()
            ok = True
            while self._queue and ok:
                ok = await self.flush()
            backoff = self._interval if ok else min(backoff * 2, 30.0)

    async def flush(self) -> bool:
        """Write one batch. ``False`` when the database is unreachable (the rows stay queued)."""
        if not self._queue:
            return True
        batch = [self._queue.popleft() for _ in range(min(self._batch, len(self._queue)))]
        try:
            await self._ledger.record(batch)
            self.written += len(batch)
            return True
        except ServiceUnavailable:
            self._queue.extendleft(reversed(batch))
            return False
        except Exception:
            log.exception("a spend batch was refused; writing its rows one by one")
        for index, record in enumerate(batch):
            try:
                await self._ledger.record([record])
                self.written += 1
            except ServiceUnavailable:
                self._queue.extendleft(reversed(batch[index:]))
                return False
            except Exception:
                self.poisoned += 1
                log.exception("spend row %s refused by the database; dropped", record.id)
        return True
