"""One spend row per call, written in batches off the hot path.

``emit`` (an ``EventSink``) turns an outcome into a row and queues it: no I/O, no await. A
background task writes a batch when ``batch_size`` rows wait or every ``interval`` seconds.
The queue is bounded: when the database is away long enough to fill it, further rows are
dropped, counted and logged (the counters behind budgets still hold every call). A batch the
database refuses is retried row by row, so one bad row cannot sink the others; a row the
database still refuses is quarantined whole, with its totals moved (``SpendLedger.quarantine``),
so no call's spend is lost with its row. ``stop``
lets a batch being written finish, then writes everything still queued.

With a ``SpendJournal``, every queued row is journaled first (one local append), so a process
killed before its rows reach the database loses none of them: the next one replays them at
``start``. A row carries its id, and the ledger skips an id it already has, so a row written
just before the kill is not counted twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from switchboard.domain.calls import CallOutcome
from switchboard.domain.errors import ClientAborted, LimitReached, RequestRejected, ServiceUnavailable, error_code
from switchboard.domain.governance.records import SpendRecord, SpendStatus
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.spend import SpendJournal, SpendLedger

log = logging.getLogger(__name__)


FIELDS = (
    "id",
    "request_id",
    "started_at",
    "key_hash",
    "key_alias",
    "user_id",
    "team_id",
    "organization_id",
    "end_user",
    "call_type",
    "model_group",
    "deployment_id",
    "provider",
    "model",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "cost",
    "latency_ms",
    "ttft_ms",
    "status",
    "error_code",
    "cache_hit",
    "tags",
)


_OWNER_COLUMN = {
    "key": FIELDS.index("key_hash"),
    "user": FIELDS.index("user_id"),
    "team": FIELDS.index("team_id"),
    "org": FIELDS.index("organization_id"),
    "end_user": FIELDS.index("end_user"),
}
_COST_COLUMN = FIELDS.index("cost")


def _record(pending: tuple[Any, ...]) -> SpendRecord:
    values = dict(zip(FIELDS, pending, strict=True))
    values["started_at"] = datetime.fromtimestamp(values["started_at"], UTC)
    return SpendRecord.model_validate(values)  # validating is faster than model_construct here


def _cost(outcome: CallOutcome[Any, Any]) -> float:
    return outcome.cost or 0.0


def _status(outcome: CallOutcome[Any, Any]) -> SpendStatus:
    error = outcome.error
    if error is None:
        return "success"
    if isinstance(error, ClientAborted):
        return "client_aborted"
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
        cost: Callable[[CallOutcome[Any, Any]], float] | None = None,
        max_queue: int = 100_000,
        batch_size: int = 500,
        interval: float = 1.0,
        keep_rows: bool = True,
        journal: SpendJournal | None = None,
    ) -> None:
        self._ledger = ledger
        self._journal = journal
        self._recovered = 0  # rows at the head of the queue that an earlier process journaled
        self._clock = clock
        self._ids = ids
        self._cost = cost or _cost
        self._queue: deque[tuple[Any, ...]] = deque()
        self._writing: list[tuple[Any, ...]] = []  # the batch being written
        self._max = max_queue
        self._batch = batch_size
        self._interval = interval
        self._keep_rows = keep_rows  # off: the rows only move spend totals (disable_spend_logs)
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self.written = 0
        self.dropped = 0
        self.poisoned = 0
        self.quarantined = 0

    def row(self, outcome: CallOutcome[Any, Any]) -> SpendRecord:
        return _record(self._pending(outcome))

    def _pending(self, outcome: CallOutcome[Any, Any]) -> tuple[Any, ...]:
        """The row's facts, as a plain tuple: the record is built off the hot path."""
        info, principal = outcome.info, outcome.info.ctx.principal
        usage, deployment, error = outcome.usage, outcome.deployment, outcome.error
        end_user = getattr(info.request, "user", None)
        return (
            self._ids.new(),
            info.ctx.request_id,
            self._clock.now() - outcome.latency,
            principal.key_hash or None,
            principal.key_alias,
            principal.user_id,
            principal.team_id,
            principal.org_id,
            end_user if isinstance(end_user, str) and end_user else None,
            info.kind,
            info.model_group,
            deployment.id if deployment else None,
            deployment.provider if deployment else None,
            deployment.model if deployment else None,
            usage.prompt_tokens if usage else 0,
            usage.completion_tokens if usage else 0,
            usage.total_tokens if usage else 0,
            self._cost(outcome),
            outcome.latency * 1000,
            outcome.time_to_first_token * 1000 if outcome.time_to_first_token is not None else None,
            _status(outcome),
            error_code(error) if error else None,
            outcome.cache_hit,
            [*info.ctx.tags, *principal.tags],
        )

    def emit(self, outcome: CallOutcome[Any, Any]) -> None:
        try:
            record = self._pending(outcome)
        except Exception:
            log.exception("could not make a spend row")
            return
        if len(self._queue) >= self._max:
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.error("spend queue full (%d rows): %d rows dropped so far", self._max, self.dropped)
            return
        if self._journal is not None:
            self._journal.append(record)
        self._queue.append(record)
        if len(self._queue) >= self._batch:
            self._wake.set()

    @property
    def pending(self) -> int:
        return len(self._queue)

    def queued_cost(self, kind: str, owner: str) -> float:
        """The cost of ``owner``'s rows not yet known to be in the database: queued (journaled
        rows replayed at start included) or in the batch being written. ``kind`` is a scope
        kind (``key``, ``user``, ``team``, ``org``, ``end_user``). A batch being written may be
        committed already: counted anyway (a rehydrated budget errs on the safe side)."""
        column = _OWNER_COLUMN[kind]
        cost = _COST_COLUMN
        return float(sum(row[cost] for rows in (self._queue, self._writing) for row in rows if row[column] == owner))

    async def start(self) -> None:
        """Queue the rows an earlier process journaled and never wrote (first in line), and start
        the background task."""
        if self._journal is not None and (recovered := self._journal.recovered()):
            self._queue.extendleft(reversed(recovered))
            self._recovered = len(recovered)
            self._wake.set()
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="switchboard-spend-writer")

    async def stop(self, timeout: float = 30.0) -> None:
        """Let a batch being written finish, stop the background task and write what is queued
        (give up after ``timeout``; with a journal, what is left is replayed at the next start)."""
        try:
            async with asyncio.timeout(timeout):
                if self._task is not None:
                    self._stopping = True
                    self._wake.set()
                    await self._task
                while self._queue:
                    if not await self.flush():
                        await asyncio.sleep(0.5)
        except TimeoutError:
            log.error("spend writer stopped with %d rows unwritten", len(self._queue))
        finally:
            if self._task is not None:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
                self._task = None
            if self._journal is not None:
                self._journal.close()

    async def _run(self) -> None:
        backoff = self._interval
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(backoff):
                    await self._wake.wait()
            self._wake.clear()
            ok = True
            while self._queue and ok and not self._stopping:
                ok = await self.flush()
                if len(self._queue) < self._batch:
                    break  # less than a full batch left: it waits for the next interval
            backoff = self._interval if ok else min(backoff * 2, 30.0)

    async def flush(self) -> bool:
        """Write one batch. ``False`` when the database is unreachable (the rows stay queued)."""
        if not self._queue:
            return True
        pending = [self._queue.popleft() for _ in range(min(self._batch, len(self._queue)))]
        settled = 0  # how many of ``pending``, from the first, are written or given up for good
        self._writing = pending
        try:
            settled = await self._write(pending)
        finally:
            self._writing = []
            # Whatever is not settled goes back to the head of the queue, in order, even when the
            # write was cancelled (a row written already is skipped by its id when written again).
            self._queue.extendleft(reversed(pending[settled:]))
            self._settled(settled)
        return settled == len(pending)

    async def _write(self, pending: list[tuple[Any, ...]]) -> int:
        try:
            batch = [_record(p) for p in pending]
        except Exception:
            log.exception("could not make spend rows; %d dropped", len(pending))
            self.poisoned += len(pending)
            return len(pending)
        try:
            await self._ledger.record(batch, keep_rows=self._keep_rows)
            self.written += len(batch)
            return len(batch)
        except ServiceUnavailable:
            return 0
        except Exception:
            log.exception("a spend batch was refused; writing its rows one by one")
        for index, record in enumerate(batch):
            try:
                await self._ledger.record([record], keep_rows=self._keep_rows)
                self.written += 1
            except ServiceUnavailable:
                return index
            except Exception as exc:
                log.exception("spend row %s refused by the database; quarantined", record.id)
                if not await self._quarantine(record, exc):
                    return index
        return len(batch)

    async def _quarantine(self, record: SpendRecord, refusal: Exception) -> bool:
        """Keep a refused row in the quarantine, its totals moved; ``False`` when the database
        is unreachable (the row stays queued). A row even the quarantine refuses is dropped."""
        try:
            await self._ledger.quarantine([record], f"{type(refusal).__name__}: {refusal}"[:256])
            self.quarantined += 1
        except ServiceUnavailable:
            return False
        except Exception:
            self.poisoned += 1
            log.exception("spend row %s refused by the quarantine too; dropped", record.id)
        return True

    def _settled(self, count: int) -> None:
        """Tell the journal: the recovered rows first (they head the queue), then our own."""
        if self._journal is None or count == 0:
            return
        recovered = min(count, self._recovered)
        if recovered:
            self._recovered -= recovered
            if self._recovered == 0:
                self._journal.forget_recovered()
        if count > recovered:
            self._journal.committed(count - recovered)
