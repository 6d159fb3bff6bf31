"""Resolved credentials, cached in memory so the hot path is a dict hit.

An entry lives ``ttl`` seconds. Changes made anywhere reach every instance through the
invalidation bus (Redis pub/sub when configured), which drops entries at once; the TTL bounds
how long a change can go unseen if a message is lost. Concurrent misses on one credential
share a single load. With the store unreachable, a miss raises ``ServiceUnavailable`` (503),
never a refusal: a valid key is not answered 401 because the database is down.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.invalidation import EVERYTHING

V = TypeVar("V")


class IdentityCache(Generic[V]):
    def __init__(
        self,
        load: Callable[[str], Awaitable[V]],
        clock: Clock,
        ttl: float,
        max_entries: int = 100_000,
    ) -> None:
        self._load = load
        self._clock = clock
        self._ttl = ttl
        self._max = max_entries
        self._entries: dict[str, tuple[V, float]] = {}
        self._loading: dict[str, asyncio.Future[V]] = {}
        self._generation = 0

    async def get(self, id: str) -> V:
        entry = self._entries.get(id)
        if entry is not None and self._clock.monotonic() - entry[1] < self._ttl:
            return entry[0]
        pending = self._loading.get(id)
        if pending is not None:
            return await asyncio.shield(pending)
        return await self._fill(id)

    async def _fill(self, id: str) -> V:
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._loading[id] = future
        generation = self._generation
        try:
            value = await self._load(id)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, nobody logs it as lost
            raise
        finally:
            self._loading.pop(id, None)
        if generation == self._generation:  # nothing was invalidated while we loaded
            if len(self._entries) >= self._max:
                self._entries.pop(next(iter(self._entries)))  # the oldest entry
            self._entries[id] = (value, self._clock.monotonic())
        future.set_result(value)
        return value

    def invalidate(self, topic: str) -> None:
        """Drop ``topic`` (or everything, for ``EVERYTHING``)."""
        self._generation += 1
        if topic == EVERYTHING:
            self._entries.clear()
        else:
            self._entries.pop(topic, None)

    def __len__(self) -> int:
        return len(self._entries)
