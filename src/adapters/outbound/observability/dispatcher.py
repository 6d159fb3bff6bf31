"""The one ``EventSink`` the call pipeline sees: ``emit`` puts the outcome in a bounded queue and
returns; a background task turns each outcome into a ``CallEvent`` (once, for every sink) and
offers it to each sink's own queue.

    emit(outcome) -> [bounded deque] -> drain task: call_event() -> ExportQueue per sink -> exporter
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

from switchboard.adapters.outbound.observability.queue import ExportQueue, QueueStats, ThrottledCount
from switchboard.domain.call_events import CallEvent, LoggingPolicy, call_event
from switchboard.domain.calls import CallOutcome
from switchboard.domain.ports.clock import Clock

log = logging.getLogger("switchboard.observability")

_SLICE = 256  # outcomes turned into events before the drain task yields to the loop


class EventDispatcher:
    """Fans call outcomes out to sink queues, off the request's path.

    ``emit`` costs a bounds check, a clock read and a deque append; it never waits and never
    raises. When ``capacity`` outcomes wait, further ones are dropped and counted (a warning at
    most once per ``warn_interval``). Call ``emit`` from the event loop's thread.
    """

    def __init__(
        self,
        queues: Sequence[ExportQueue[CallEvent]],
        clock: Clock,
        policy: LoggingPolicy | None = None,
        *,
        capacity: int = 10_000,
        warn_interval: float = 60.0,
    ) -> None:
        self.queues = tuple(queues)
        self._now = clock.now
        self._policy = policy or LoggingPolicy()
        self._capacity = capacity
        self._pending: deque[tuple[CallOutcome[Any, Any], float]] = deque()
        self._wake = asyncio.Event()
        self._idle = True
        self._closing = False
        self._task: asyncio.Task[None] | None = None
        self.dropped = ThrottledCount("event dispatcher: events dropped", warn_interval)
        self._broken = ThrottledCount("event dispatcher: could not build an event", warn_interval)

    def emit(self, outcome: CallOutcome[Any, Any]) -> None:
        try:
            pending = self._pending
            if len(pending) >= self._capacity or self._closing:
                self.dropped.add(1, "; the queue is full" if not self._closing else "; shutting down")
                return
            pending.append((outcome, self._now()))
            if self._task is None:
                self.start()
            if self._idle:
                self._idle = False
                self._wake.set()
        except Exception:  # emitting must never fail a call
            log.exception("event dispatcher: emit failed")

    def stats(self) -> list[QueueStats]:
        """The dispatcher's own counters (sink ``dispatcher``) and each sink queue's."""
        own = QueueStats("dispatcher", len(self._pending), self.dropped.total, self._broken.total, 0)
        return [own, *(q.stats() for q in self.queues)]

    def start(self) -> None:
        """Start the drain task on the running loop (the first ``emit`` does it otherwise)."""
        if self._task is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._task = loop.create_task(self._run(), name="event-dispatcher")

    async def flush(self) -> None:
        """Wait until every outcome emitted so far has reached its sinks' exporters."""
        self.start()
        while self._pending:
            self._wake.set()
            await asyncio.sleep(0)
        await asyncio.gather(*(q.flush() for q in self.queues))

    async def aclose(self, timeout: float = 5.0) -> None:
        """Stop taking outcomes and deliver what waits, within ``timeout`` seconds in all."""
        deadline = time.monotonic() + timeout
        self._closing = True
        self._drain()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        remaining = max(0.0, deadline - time.monotonic())
        await asyncio.gather(*(q.aclose(remaining) for q in self.queues))

    async def _run(self) -> None:
        while True:
            if not self._pending:
                self._idle = True
                await self._wake.wait()
                self._wake.clear()
                continue
            self._drain(_SLICE)
            await asyncio.sleep(0)  # let requests run between slices

    def _drain(self, limit: int | None = None) -> None:
        pending, policy, queues = self._pending, self._policy, self.queues
        count = 0
        while pending and (limit is None or count < limit):
            outcome, at = pending.popleft()
            count += 1
            try:
                event = call_event(outcome, at, policy)
            except Exception as exc:
                self._broken.add(1, f"; {type(exc).__name__}: {exc}")
                continue
            for queue in queues:
                queue.offer(event)
