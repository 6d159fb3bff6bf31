"""One exporter behind one bounded queue: items are offered without waiting, a background task
delivers them in batches, retries with backoff, and drops (counting them) what it cannot keep.

A slow or failing exporter only ever fills its own queue; once full, further items are dropped
and counted, never waited for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from switchboard.domain.ports.exporters import Exporter, ExportRejected

log = logging.getLogger("switchboard.observability")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class QueueSettings:
    """``capacity`` items wait at most; ``batch_size`` go per export; a batch waits up to
    ``linger`` seconds to fill; a failed batch is retried ``max_retries`` times, ``backoff``
    seconds after the first failure, doubling up to ``max_backoff``; each export attempt may take
    ``export_timeout`` seconds."""

    capacity: int = 10_000
    batch_size: int = 100
    linger: float = 0.0
    max_retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 30.0
    export_timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class QueueStats:
    """Counters of one queue since start: ``dropped`` (queue full or closed), ``failed`` (given up
    after retries, or rejected), ``exported``; ``depth`` is the number waiting now."""

    sink: str
    depth: int
    dropped: int
    failed: int
    exported: int


class ThrottledCount:
    """A counter that logs a warning when it grows, at most once per ``interval`` seconds."""

    __slots__ = ("_clock", "_interval", "_last", "_message", "_since", "total")

    def __init__(self, message: str, interval: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._message = message
        self._interval = interval
        self._clock = clock
        self._last = float("-inf")
        self._since = 0
        self.total = 0

    def add(self, n: int = 1, detail: str = "") -> None:
        self.total += n
        self._since += n
        now = self._clock()
        if now - self._last >= self._interval:
            log.warning("%s: %d since the last warning, %d in all%s", self._message, self._since, self.total, detail)
            self._last = now
            self._since = 0


class ExportQueue(Generic[T]):
    """A bounded queue in front of one exporter, drained by one background task.

    ``offer`` never waits and never raises. ``accepts`` filters items (a success-only sink).
    ``flush`` waits until everything offered so far was exported or given up; ``aclose`` does
    the same within ``timeout`` seconds, then closes the exporter.
    """

    def __init__(
        self,
        name: str,
        exporter: Exporter[T],
        settings: QueueSettings = QueueSettings(),
        *,
        accepts: Callable[[T], bool] | None = None,
        warn_interval: float = 60.0,
    ) -> None:
        self.name = name
        self.exporter = exporter
        self._settings = settings
        self._accepts = accepts
        self._buffer: deque[T] = deque()
        self._wake = asyncio.Event()
        self._hurry = asyncio.Event()
        self._drained = asyncio.Event()
        self._drained.set()
        self._idle = True
        self._busy = 0
        self._closing = False
        self._task: asyncio.Task[None] | None = None
        self.dropped = ThrottledCount(f"sink {name}: events dropped", warn_interval)
        self.failed = ThrottledCount(f"sink {name}: export failed, events given up", warn_interval)
        self.exported = 0

    def stats(self) -> QueueStats:
        return QueueStats(
            self.name, len(self._buffer) + self._busy, self.dropped.total, self.failed.total, self.exported
        )

    def offer(self, item: T) -> None:
        """Queue ``item`` for export; drop it (counted) if the queue is full or closed."""
        try:
            if self._accepts is not None and not self._accepts(item):
                return
            if self._closing or len(self._buffer) >= self._settings.capacity:
                self.dropped.add(1, "; the queue is full" if not self._closing else "; the sink is closed")
                return
            self._buffer.append(item)
            self._drained.clear()
            if self._task is None:
                self.start()
            if self._idle:
                self._idle = False
                self._wake.set()
        except Exception:  # offering must never fail the code that offers
            log.exception("sink %s: could not queue an item", self.name)

    def start(self) -> None:
        """Start the background task on the running loop (done by the first ``offer`` otherwise)."""
        if self._task is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop yet: the items wait for the next offer made on one
        self._task = loop.create_task(self._run(), name=f"export-{self.name}")

    async def flush(self) -> None:
        """Wait until every item offered so far has been exported or given up."""
        self.start()
        self._hurry.set()
        try:
            await self._drained.wait()
        finally:
            if not self._closing:
                self._hurry.clear()

    async def aclose(self, timeout: float) -> None:
        """Stop taking items, deliver what waits within ``timeout`` seconds (the rest is dropped
        and counted), then close the exporter."""
        deadline = time.monotonic() + timeout
        self._closing = True
        self._hurry.set()
        if self._buffer:
            self.start()
        if self._task is not None:
            self._wake.set()
            done, _ = await asyncio.wait({self._task}, timeout=max(0.0, deadline - time.monotonic()))
            if not done:
                left = len(self._buffer) + self._busy
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
                self._buffer.clear()
                if left:
                    self.dropped.add(left, "; not delivered before the shutdown timeout")
        try:
            async with asyncio.timeout(max(0.1, deadline - time.monotonic())):
                await self.exporter.close()
        except Exception:
            log.warning("sink %s: closing did not finish cleanly", self.name, exc_info=True)

    async def _run(self) -> None:
        settings = self._settings
        buffer = self._buffer
        while True:
            if not buffer:
                self._drained.set()
                if self._closing:
                    return
                self._idle = True
                await self._wake.wait()
                self._wake.clear()
                continue
            if settings.linger > 0 and len(buffer) < settings.batch_size and not self._hurry.is_set():
                await self._pause(settings.linger)
            batch = [buffer.popleft() for _ in range(min(len(buffer), settings.batch_size))]
            self._busy = len(batch)
            try:
                await self._deliver(batch)
            finally:
                self._busy = 0

    async def _deliver(self, batch: Sequence[T]) -> None:
        settings = self._settings
        attempt = 0
        while True:
            try:
                async with asyncio.timeout(settings.export_timeout):
                    await self.exporter.export(batch)
            except ExportRejected as exc:
                self.failed.add(len(batch), f"; rejected: {exc}")
                return
            except Exception as exc:
                if attempt >= settings.max_retries:
                    self.failed.add(len(batch), f"; after {attempt + 1} attempts, last: {type(exc).__name__}: {exc}")
                    return
                await self._pause(min(settings.backoff * 2**attempt, settings.max_backoff))
                attempt += 1
            else:
                self.exported += len(batch)
                return

    async def _pause(self, seconds: float) -> None:
        """Sleep ``seconds``, or less if a flush or shutdown is waiting."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._hurry.wait()
