"""Builds each cache adapter for the kits, with a way to let time pass for it.

Adapters that expire by our clock get a ``FakeClock`` (time moves instantly); Redis expires
entries by its own clock, so for it ``elapse`` also sleeps for real (TTLs in the kits are short).
Every Redis harness works under its own key prefix and deletes its keys afterwards.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from switchboard.adapters.outbound.cache import (
    DualResponseCache,
    InMemoryResponseCache,
    InMemoryVectorIndex,
    RedisResponseCache,
    RedisVectorIndex,
    SqliteResponseCache,
)
from switchboard.domain.ports.cache import ResponseCache, VectorIndex
from tests.fakes import FakeClock


@dataclass
class CacheHarness:
    cache: Any  # a ResponseCache
    clock: FakeClock
    real_time: bool = False
    reopen_args: dict[str, Any] = field(default_factory=dict)

    async def elapse(self, seconds: float) -> None:
        self.clock.advance(seconds)
        if self.real_time:
            await asyncio.sleep(seconds)


@asynccontextmanager
async def redis_client(url: str) -> AsyncIterator[tuple[Any, str]]:
    """A client and a fresh key prefix; every key under the prefix is deleted afterwards."""
    import redis.asyncio as redis

    client = redis.Redis.from_url(url)
    prefix = f"test:{uuid.uuid4().hex[:12]}:"
    try:
        yield client, prefix
    finally:
        async for key in client.scan_iter(match=f"{prefix}*", count=500):
            await client.delete(key)
        await client.aclose()


@asynccontextmanager
async def open_cache(
    kind: str, *, redis_url: str | None = None, directory: Path | None = None, **bounds: int
) -> AsyncIterator[CacheHarness]:
    clock = FakeClock()
    if kind == "memory":
        yield CacheHarness(InMemoryResponseCache(clock, **bounds), clock)
    elif kind == "disk":
        assert directory is not None
        on_disk = await SqliteResponseCache(directory, clock, **bounds).open()
        try:
            yield CacheHarness(on_disk, clock, reopen_args={"directory": directory})
        finally:
            await on_disk.aclose()
    elif kind in ("redis", "dual"):
        assert redis_url is not None
        async with redis_client(redis_url) as (client, prefix):
            shared: ResponseCache = RedisResponseCache(client, prefix=prefix)
            cache: ResponseCache = shared
            if kind == "dual":
                cache = DualResponseCache(InMemoryResponseCache(clock, **bounds), shared, local_ttl=60)
            yield CacheHarness(cache, clock, real_time=True, reopen_args={"client": client, "prefix": prefix})
    else:
        raise ValueError(kind)


def reopened(kind: str, harness: CacheHarness) -> ResponseCache:
    """A new adapter over the same storage, as after a restart."""
    if kind == "disk":
        return SqliteResponseCache(harness.reopen_args["directory"], harness.clock)
    return RedisResponseCache(harness.reopen_args["client"], prefix=harness.reopen_args["prefix"])


@dataclass
class IndexHarness:
    index: VectorIndex
    clock: FakeClock


@asynccontextmanager
async def open_index(kind: str, *, redis_url: str | None = None, max_entries: int = 100) -> AsyncIterator[IndexHarness]:
    clock = FakeClock()
    if kind == "memory":
        yield IndexHarness(InMemoryVectorIndex(clock, max_entries=max_entries), clock)
        return
    assert redis_url is not None
    async with redis_client(redis_url) as (client, prefix):
        yield IndexHarness(RedisVectorIndex(client, clock, prefix=prefix, max_entries=max_entries), clock)
