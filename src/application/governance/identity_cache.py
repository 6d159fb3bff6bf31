"""Resolved credentials, cached in memory so the hot path is a dict hit.

An entry lives ``ttl`` seconds. Changes made anywhere reach every instance through the
invalidation bus (Redis pub/sub when configured), which drops entries at once; the TTL bounds
how long a change can go unseen if a message is lost. Concurrent misses on one credential
share a single load. With the store unreachable, a miss raises ``ServiceUnavailable`` (503),
never a refusal: a valid key is not answered 401 because the database is down.

Two refinements:
- **Stale on error** (``stale_for``): when an expired entry cannot be reloaded because the store
  is unreachable, it is served for up to ``stale_for`` seconds more (LiteLLM's
  ``allow_requests_on_db_unavailable``), and the store is asked again at most every
  ``retry_every`` seconds, not on every request. A credential never seen still gets 503.
- **Refusals apart** (``negative``): values the predicate calls negative (an unknown key) are
  kept in a small map of their own, so a flood of made-up keys cannot push valid ones out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from switchboard.domain.errors import ServiceUnavailable
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.invalidation import EVERYTHING

log = logging.getLogger(__name__)

V = TypeVar("V")


class IdentityCache(Generic[V]):
    def __init__(
        self,
        load: Callable[[str], Awaitable[V]],
        clock: Clock,
        ttl: float,
        max_entries: int = 100_000,
        *,
        stale_for: float = 0.0,
        retry_every: float = 1.0,
        negative: Callable[[V], bool] | None = None,
        max_negative: int = 10_000,
    ) -> None:
        self._load = load
        self._clock = clock
        self._ttl = ttl
        self._max = max_entries
        self._stale_for = stale_for
        self._retry_every = retry_every
        self._negative = negative
        self._max_negative = max_negative
        self._entries: dict[str, tuple[V, float]] = {}
        self._refusals: dict[str, tuple[V, float]] = {}
        self._retry_at: dict[str, float] = {}  # stale entries: no load before this time
        self._loading: dict[str, asyncio.Future[V]] = {}
        self._generation = 0

    async def get(self, id: str) -> V:
        entry = self._entries.get(id) or self._refusals.get(id)
        if entry is not None and self._clock.monotonic() - entry[1] < self._ttl:
            return entry[0]
        pending = self._loading.get(id)
        if pending is not None:
            return await asyncio.shield(pending)
        if entry is not None and self._retry_at and self._clock.monotonic() < self._retry_at.get(id, 0.0):
            return entry[0]  # stale, and the store failed a moment ago
        return await self._fill(id, entry)

    async def _fill(self, id: str, entry: tuple[V, float] | None) -> V:
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._loading[id] = future
        generation = self._generation
        try:
            value = await self._load(id)
        except ServiceUnavailable as exc:
            stale = self._stale(id, entry)
            if stale is None:
                future.set_exception(exc)
                future.exception()  # retrieved: waiters re-raise it, nobody logs it as lost
                raise
            future.set_result(stale)
            return stale
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()
            raise
        finally:
            self._loading.pop(id, None)
        self._retry_at.pop(id, None)
        if generation == self._generation:  # nothing was invalidated while we loaded
            self._keep(id, value)
        future.set_result(value)
        return value

    def _stale(self, id: str, entry: tuple[V, float] | None) -> V | None:
        """The expired value to serve while the store is unreachable, if it may still be served."""
        if entry is None or self._stale_for <= 0:
            return None
        now = self._clock.monotonic()
        if now - entry[1] >= self._ttl + self._stale_for:
            return None
        if id not in self._retry_at:
            log.warning("identity store unreachable: serving a cached principal for up to %ss", self._stale_for)
        self._retry_at[id] = now + self._retry_every
        return entry[0]

    def _keep(self, id: str, value: V) -> None:
        negative = self._negative is not None and self._negative(value)
        entries, limit = (self._refusals, self._max_negative) if negative else (self._entries, self._max)
        (self._entries if negative else self._refusals).pop(id, None)
        if id not in entries and len(entries) >= limit:
            entries.pop(next(iter(entries)))  # the oldest entry
        entries[id] = (value, self._clock.monotonic())

    def invalidate(self, topic: str) -> None:
        """Drop ``topic`` (or everything, for ``EVERYTHING``)."""
        self._generation += 1
        if topic == EVERYTHING:
            self._entries.clear()
            self._refusals.clear()
            self._retry_at.clear()
        else:
            self._entries.pop(topic, None)
            self._refusals.pop(topic, None)
            self._retry_at.pop(topic, None)

    def __len__(self) -> int:
        """Entries kept, refusals included."""
        return len(self._entries) + len(self._refusals)
