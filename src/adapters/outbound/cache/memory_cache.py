"""InMemoryResponseCache: a least-recently-used map with expiry, bounded in entries and bytes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence

from switchboard.domain.ports.clock import Clock

DEFAULT_MAX_ENTRIES = 10_000
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class InMemoryResponseCache:
    """One process's cache. Reads refresh an entry's recency; writes evict the least recently
    used entries until both bounds hold (a key and its value count towards ``max_bytes``).
    Expiry uses the monotonic clock; an expired entry is dropped when it is next touched or
    evicted in turn."""

    __slots__ = ("_bytes", "_clock", "_entries", "_max_bytes", "_max_entries")

    def __init__(
        self, clock: Clock, *, max_entries: int = DEFAULT_MAX_ENTRIES, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        if max_entries < 1 or max_bytes < 1:
            raise ValueError("the cache bounds must be positive")
        self._clock = clock
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[bytes, float | None]] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    async def get(self, key: str) -> bytes | None:
        return self._get(key)

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        return [self._get(key) for key in keys]

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        self._set(key, value, ttl)

    async def set_many(self, items: Mapping[str, bytes], ttl: float | None = None) -> None:
        for key, value in items.items():
            self._set(key, value, ttl)

    async def delete(self, key: str) -> None:
        self._drop(key)

    async def aclose(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def _get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, expires = entry
        if expires is not None and self._clock.monotonic() >= expires:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return value

    def _set(self, key: str, value: bytes, ttl: float | None) -> None:
        self._drop(key)
        size = len(key) + len(value)
        if size > self._max_bytes:
            return
        expires = None if ttl is None else self._clock.monotonic() + ttl
        self._entries[key] = (value, expires)
        self._bytes += size
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            oldest = next(iter(self._entries))
            self._drop(oldest)

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(key) + len(entry[0])
