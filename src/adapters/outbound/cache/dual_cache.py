"""DualResponseCache: a process-local cache in front of a shared one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from switchboard.domain.ports.cache import ResponseCache

DEFAULT_LOCAL_TTL = 60.0


class DualResponseCache:
    """Reads the local cache, then the shared one (copying what it finds into the local one);
    writes and deletes go to both.

    The local copy lives at most ``local_ttl`` seconds, which bounds how long an instance can
    serve an entry after it was deleted or replaced through another instance.
    """

    __slots__ = ("_local", "_local_ttl", "_shared")

    def __init__(self, local: ResponseCache, shared: ResponseCache, *, local_ttl: float = DEFAULT_LOCAL_TTL) -> None:
        if local_ttl <= 0:
            raise ValueError("local_ttl must be positive")
        self._local = local
        self._shared = shared
        self._local_ttl = local_ttl

    def _bounded(self, ttl: float | None) -> float:
        return self._local_ttl if ttl is None else min(ttl, self._local_ttl)

    async def get(self, key: str) -> bytes | None:
        value = await self._local.get(key)
        if value is not None:
            return value
        value = await self._shared.get(key)
        if value is not None:
            await self._local.set(key, value, self._local_ttl)
        return value

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        values = await self._local.get_many(keys)
        missing = [i for i, value in enumerate(values) if value is None]
        if not missing:
            return values
        found = await self._shared.get_many([keys[i] for i in missing])
        fill = {}
        for i, value in zip(missing, found, strict=True):
            values[i] = value
            if value is not None:
                fill[keys[i]] = value
        await self._local.set_many(fill, self._local_ttl)
        return values

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        await self._local.set(key, value, self._bounded(ttl))  # first: a Redis outage still leaves a local copy
        await self._shared.set(key, value, ttl)

    async def set_many(self, items: Mapping[str, bytes], ttl: float | None = None) -> None:
        await self._local.set_many(items, self._bounded(ttl))
        await self._shared.set_many(items, ttl)

    async def delete(self, key: str) -> None:
        await self._local.delete(key)
        await self._shared.delete(key)

    async def aclose(self) -> None:
        try:
            await self._local.aclose()
        finally:
            await self._shared.aclose()
