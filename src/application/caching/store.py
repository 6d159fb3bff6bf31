"""The cache as the use cases see it: entries with their age, and a backend failure is a miss."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from switchboard.domain.caching.entries import Entry, decode_entry, encode_entry
from switchboard.domain.ports.cache import ResponseCache
from switchboard.domain.ports.clock import Clock

log = logging.getLogger(__name__)


@dataclass(slots=True)
class CacheStats:
    hits: int = 0
    misses: int = 0
    writes: int = 0
    errors: int = 0


class CacheStore:
    """Reads and writes entries through a ``ResponseCache``.

    A backend failure never fails a call: a read becomes a miss and a write is skipped. The
    first failure after a success is logged, so an outage logs once rather than per request.
    """

    __slots__ = ("_backend", "_clock", "_failing", "stats")

    def __init__(self, backend: ResponseCache, clock: Clock) -> None:
        self._backend = backend
        self._clock = clock
        self._failing = False
        self.stats = CacheStats()

    def now(self) -> float:
        return self._clock.now()

    async def read(self, key: str, max_age: float | None = None) -> Entry | None:
        """The live entry under ``key`` no older than ``max_age`` seconds, or ``None``."""
        try:
            raw = await self._backend.get(key)
        except Exception:
            self._failed("read")
            return None
        self._failing = False
        return self._accept(raw, max_age)

    async def read_many(self, keys: Sequence[str], max_age: float | None = None) -> list[Entry | None]:
        try:
            raws = await self._backend.get_many(keys)
        except Exception:
            self._failed("read")
            return [None] * len(keys)
        self._failing = False
        return [self._accept(raw, max_age) for raw in raws]

    def encode(self, body: bytes, *, deployment: str = "", provider: str = "") -> bytes:
        """The entry bytes for ``body``, stored now."""
        return encode_entry(self._clock.now(), body, deployment=deployment, provider=provider)

    async def write(self, key: str, raw: bytes, ttl: float | None) -> None:
        """Store entry bytes made by ``encode``."""
        try:
            await self._backend.set(key, raw, ttl)
        except Exception:
            self._failed("write")
            return
        self.stats.writes += 1

    async def write_many(self, bodies: Mapping[str, bytes], ttl: float | None) -> None:
        """Store each body as an entry, all with the same ``ttl``."""
        now = self._clock.now()
        try:
            await self._backend.set_many({key: encode_entry(now, body) for key, body in bodies.items()}, ttl)
        except Exception:
            self._failed("write")
            return
        self.stats.writes += len(bodies)

    def _accept(self, raw: bytes | None, max_age: float | None) -> Entry | None:
        entry = decode_entry(raw) if raw is not None else None
        if entry is not None and (max_age is None or entry.age(self._clock.now()) <= max_age):
            self.stats.hits += 1
            return entry
        self.stats.misses += 1
        return None

    def _failed(self, what: str) -> None:
        self.stats.errors += 1
        if not self._failing:
            self._failing = True
            log.warning("response cache %s failed; serving without the cache until it recovers", what, exc_info=True)
