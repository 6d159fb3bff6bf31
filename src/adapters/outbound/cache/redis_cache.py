"""RedisResponseCache: entries as Redis strings under a namespace, expiring with ``SET ... PX``."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

DEFAULT_PREFIX = "switchboard:cache:"


def _milliseconds(ttl: float) -> int:
    return max(1, math.ceil(ttl * 1000))


class RedisResponseCache:
    """Entries shared by every gateway instance on one Redis.

    Keys are ``prefix + key``. Expiry is Redis's own (millisecond precision), so an entry
    vanishes for every instance at once. ``client`` is a ``redis.asyncio.Redis`` returning bytes;
    it is closed by ``aclose`` only when ``owns_client`` (a client opened for the cache alone).
    """

    __slots__ = ("_client", "_owns_client", "_prefix")

    def __init__(self, client: Any, *, prefix: str = DEFAULT_PREFIX, owns_client: bool = False) -> None:
        self._client = client
        self._prefix = prefix
        self._owns_client = owns_client

    async def get(self, key: str) -> bytes | None:
        value: bytes | None = await self._client.get(self._prefix + key)
        return value

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        if not keys:
            return []
        values: list[bytes | None] = await self._client.mget([self._prefix + key for key in keys])
        return values

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        await self._client.set(self._prefix + key, value, px=None if ttl is None else _milliseconds(ttl))

    async def set_many(self, items: Mapping[str, bytes], ttl: float | None = None) -> None:
        if not items:
            return
        px = None if ttl is None else _milliseconds(ttl)
        async with self._client.pipeline(transaction=False) as pipe:
            for key, value in items.items():
                pipe.set(self._prefix + key, value, px=px)
            await pipe.execute()

    async def delete(self, key: str) -> None:
        await self._client.delete(self._prefix + key)

    async def aclose(self) -> None:
        if self._owns_client:
            self._owns_client = False
            await self._client.aclose()
