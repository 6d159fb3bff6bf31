"""The response cache contract: every adapter (memory, Redis, SQLite on disk, memory in front of
Redis) stores and expires the same way. A new adapter adds itself to ``ADAPTERS`` (and to the
capability lists it has) in ``tests/contract/cache/harness.py`` terms and gets the whole kit.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.contract.cache.harness import CacheHarness, open_cache, reopened

ADAPTERS = ["memory", "redis", "disk", "dual"]
BOUNDED = ["memory", "disk"]  # keep a size bound themselves (Redis leaves it to maxmemory)
DURABLE = ["redis", "disk"]  # entries outlive the adapter object (a restart)
TTL = 0.3


async def _open(
    request: pytest.FixtureRequest, tmp_path: Path, kind: str, **bounds: int
) -> AsyncIterator[CacheHarness]:
    redis_url = request.getfixturevalue("redis_url") if kind in ("redis", "dual") else None
    async with open_cache(kind, redis_url=redis_url, directory=tmp_path / "cache", **bounds) as harness:
        yield harness


@pytest.fixture(params=ADAPTERS)
async def harness(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[CacheHarness]:
    async for opened in _open(request, tmp_path, request.param):
        yield opened


@pytest.fixture(params=BOUNDED)
async def bounded(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[CacheHarness]:
    async for opened in _open(request, tmp_path, request.param, max_entries=3, max_bytes=4096):
        yield opened


@pytest.fixture(params=DURABLE)
async def durable(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[str, CacheHarness]]:
    async for opened in _open(request, tmp_path, request.param):
        yield request.param, opened


async def test_a_missing_key_is_none(harness: CacheHarness) -> None:
    assert await harness.cache.get("nothing-here") is None


async def test_a_value_comes_back_byte_for_byte(harness: CacheHarness) -> None:
    value = b"sb1 1.0\n\x00\xff binary \r\n" + bytes(range(256))
    await harness.cache.set("k", value)
    assert await harness.cache.get("k") == value


async def test_keys_are_opaque_strings(harness: CacheHarness) -> None:
    keys = ["ns:team=a:chat:0123", "with space", "ünïcødé/ключ", "*?[glob]"]
    for i, key in enumerate(keys):
        await harness.cache.set(key, str(i).encode())
    assert [await harness.cache.get(key) for key in keys] == [b"0", b"1", b"2", b"3"]


async def test_a_set_replaces_the_older_value(harness: CacheHarness) -> None:
    await harness.cache.set("k", b"old")
    await harness.cache.set("k", b"new")
    assert await harness.cache.get("k") == b"new"


async def test_delete_removes_and_a_missing_key_is_no_error(harness: CacheHarness) -> None:
    await harness.cache.set("k", b"v")
    await harness.cache.delete("k")
    await harness.cache.delete("never-set")
    assert await harness.cache.get("k") is None


async def test_an_entry_lives_until_its_ttl_then_is_gone(harness: CacheHarness) -> None:
    await harness.cache.set("k", b"v", ttl=TTL)
    await harness.elapse(TTL / 3)
    assert await harness.cache.get("k") == b"v"
    await harness.elapse(TTL)
    assert await harness.cache.get("k") is None


async def test_an_entry_without_ttl_does_not_expire(harness: CacheHarness) -> None:
    await harness.cache.set("k", b"v")
    await harness.elapse(TTL * 1.5)
    assert await harness.cache.get("k") == b"v"


async def test_a_new_set_replaces_the_old_ttl(harness: CacheHarness) -> None:
    await harness.cache.set("k", b"short", ttl=TTL)
    await harness.cache.set("k", b"long", ttl=60)
    await harness.elapse(TTL * 1.5)
    assert await harness.cache.get("k") == b"long"


async def test_get_many_answers_in_order_with_none_for_misses(harness: CacheHarness) -> None:
    await harness.cache.set("a", b"1")
    await harness.cache.set("c", b"3")
    assert await harness.cache.get_many(["c", "b", "a", "c"]) == [b"3", None, b"1", b"3"]
    assert await harness.cache.get_many([]) == []


async def test_set_many_stores_every_item_with_one_ttl(harness: CacheHarness) -> None:
    await harness.cache.set_many({"a": b"1", "b": b"2"}, ttl=TTL)
    assert await harness.cache.get_many(["a", "b"]) == [b"1", b"2"]
    await harness.elapse(TTL * 1.5)
    assert await harness.cache.get_many(["a", "b"]) == [None, None]


async def test_concurrent_writes_to_one_key_leave_one_whole_value(harness: CacheHarness) -> None:
    values = [bytes([i]) * 10_000 for i in range(20)]
    await asyncio.gather(*(harness.cache.set("k", v) for v in values))
    assert await harness.cache.get("k") in values


async def test_a_large_value_round_trips(harness: CacheHarness) -> None:
    value = b"x" * (1024 * 1024)
    await harness.cache.set("big", value)
    assert await harness.cache.get("big") == value


async def test_aclose_can_be_called_twice(harness: CacheHarness) -> None:
    await harness.cache.aclose()
    await harness.cache.aclose()


# --- bounded adapters ----------------------------------------------------------------------------


async def test_the_least_recently_used_entry_is_evicted_first(bounded: CacheHarness) -> None:
    for key in ("a", "b", "c"):
        await bounded.cache.set(key, b"v")
    await bounded.cache.get("a")  # now "b" is the least recently used
    await bounded.cache.set("d", b"v")
    assert [await bounded.cache.get(k) for k in ("a", "b", "c", "d")] == [b"v", None, b"v", b"v"]


async def test_the_byte_bound_evicts_until_the_new_value_fits(bounded: CacheHarness) -> None:
    await bounded.cache.set("a", b"x" * 1500)
    await bounded.cache.set("b", b"x" * 1500)
    await bounded.cache.set("c", b"x" * 1500)  # 4500 bytes > 4096: "a" goes
    assert [await bounded.cache.get(k) is not None for k in ("a", "b", "c")] == [False, True, True]


async def test_a_value_larger_than_the_bound_is_not_stored(bounded: CacheHarness) -> None:
    await bounded.cache.set("small", b"v")
    await bounded.cache.set("huge", b"x" * 5000)
    assert await bounded.cache.get("huge") is None
    assert await bounded.cache.get("small") == b"v"


# --- durable adapters ----------------------------------------------------------------------------


async def test_entries_survive_a_restart(durable: tuple[str, CacheHarness]) -> None:
    kind, harness = durable
    await harness.cache.set("k", b"kept", ttl=60)
    await harness.cache.aclose()
    again = reopened(kind, harness)
    if hasattr(again, "open"):
        await again.open()
    try:
        assert await again.get("k") == b"kept"
    finally:
        await again.aclose()
