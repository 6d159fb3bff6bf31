from __future__ import annotations

import asyncio

import pytest

from switchboard.application.governance.identity_cache import IdentityCache
from switchboard.domain.errors import ServiceUnavailable
from switchboard.domain.ports.invalidation import EVERYTHING
from tests.fakes import FakeClock


class Source:
    def __init__(self) -> None:
        self.values: dict[str, str] = {"k": "v1"}
        self.loads = 0
        self.down = False
        self.gate: asyncio.Event | None = None

    async def load(self, id: str) -> str:
        self.loads += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.down:
            raise ServiceUnavailable("down", code="database_unavailable")
        return self.values[id]


async def test_a_hit_within_the_ttl_does_not_load() -> None:
    source, clock = Source(), FakeClock()
    cache = IdentityCache(source.load, clock, ttl=5)
    assert await cache.get("k") == "v1"
    source.values["k"] = "v2"
    clock.advance(4.9)
    assert await cache.get("k") == "v1"
    clock.advance(0.2)
    assert await cache.get("k") == "v2"
    assert source.loads == 2


async def test_invalidation_drops_at_once() -> None:
    source = Source()
    cache = IdentityCache(source.load, FakeClock(), ttl=60)
    await cache.get("k")
    source.values["k"] = "v2"
    cache.invalidate("k")
    assert await cache.get("k") == "v2"
    source.values["k"] = "v3"
    cache.invalidate(EVERYTHING)
    assert await cache.get("k") == "v3"


async def test_concurrent_misses_share_one_load() -> None:
    source = Source()
    source.gate = asyncio.Event()
    cache = IdentityCache(source.load, FakeClock(), ttl=60)
    waiting = [asyncio.create_task(cache.get("k")) for _ in range(50)]
    await asyncio.sleep(0)
    source.gate.set()
    assert set(await asyncio.gather(*waiting)) == {"v1"}
    assert source.loads == 1


async def test_a_failed_load_is_raised_to_every_waiter_and_not_kept() -> None:
    source = Source()
    source.down = True
    cache = IdentityCache(source.load, FakeClock(), ttl=60)
    with pytest.raises(ServiceUnavailable):
        await cache.get("k")
    source.down = False
    assert await cache.get("k") == "v1"


async def test_an_entry_loaded_across_an_invalidation_is_not_kept() -> None:
    source = Source()
    source.gate = asyncio.Event()
    cache = IdentityCache(source.load, FakeClock(), ttl=60)
    loading = asyncio.create_task(cache.get("k"))
    await asyncio.sleep(0)
    cache.invalidate("k")  # the change raced the load: its result may be stale
    source.gate.set()
    await loading
    source.gate = None
    source.values["k"] = "v2"
    assert await cache.get("k") == "v2"


async def test_the_cache_is_bounded() -> None:
    source = Source()
    source.values.update({str(n): str(n) for n in range(10)})
    cache = IdentityCache(source.load, FakeClock(), ttl=60, max_entries=3)
    for n in range(10):
        await cache.get(str(n))
    assert len(cache) == 3


# --- stale on error: a database outage is not a full outage -------------------------------------


async def test_with_stale_on_error_an_expired_entry_is_served_while_the_store_is_down() -> None:
    source, clock = Source(), FakeClock()
    cache = IdentityCache(source.load, clock, ttl=5, stale_for=60)
    await cache.get("k")
    source.down = True
    clock.advance(30)

    assert await cache.get("k") == "v1"


async def test_without_stale_on_error_an_expired_entry_is_not_served_while_the_store_is_down() -> None:
    source, clock = Source(), FakeClock()
    cache = IdentityCache(source.load, clock, ttl=5)
    await cache.get("k")
    source.down = True
    clock.advance(30)

    with pytest.raises(ServiceUnavailable):
        await cache.get("k")


async def test_a_stale_entry_is_served_no_longer_than_its_grace() -> None:
    source, clock = Source(), FakeClock()
    cache = IdentityCache(source.load, clock, ttl=5, stale_for=60)
    await cache.get("k")
    source.down = True
    clock.advance(65)

    with pytest.raises(ServiceUnavailable):
        await cache.get("k")


async def test_a_credential_never_seen_gets_503_even_with_stale_on_error() -> None:
    source = Source()
    source.down = True
    cache = IdentityCache(source.load, FakeClock(), ttl=5, stale_for=60)

    with pytest.raises(ServiceUnavailable):
        await cache.get("k")


async def test_while_serving_stale_the_store_is_asked_at_most_once_per_retry_interval() -> None:
    source, clock = Source(), FakeClock()
    cache = IdentityCache(source.load, clock, ttl=5, stale_for=60, retry_every=1)
    await cache.get("k")
    source.down = True
    clock.advance(10)

    for _ in range(100):
        await cache.get("k")
    clock.advance(1.5)
    await cache.get("k")

    assert source.loads == 3  # the first load, one failed reload, one more after the interval


async def test_a_store_back_up_replaces_the_stale_entry() -> None:
    source, clock = Source(), FakeClock()
    cache = IdentityCache(source.load, clock, ttl=5, stale_for=60, retry_every=1)
    await cache.get("k")
    source.down = True
    clock.advance(10)
    await cache.get("k")
    source.down, source.values["k"] = False, "v2"
    clock.advance(1.5)

    assert await cache.get("k") == "v2"


# --- refusals apart: made-up keys cannot evict valid ones ---------------------------------------


async def test_a_flood_of_unknown_keys_does_not_evict_known_ones() -> None:
    source = Source()
    source.values.update({f"bad{i}": "unknown" for i in range(1000)})
    cache = IdentityCache(
        source.load, FakeClock(), ttl=60, max_entries=10, negative=lambda v: v == "unknown", max_negative=5
    )
    await cache.get("k")

    for i in range(1000):
        await cache.get(f"bad{i}")
    loads = source.loads
    assert await cache.get("k") == "v1"

    assert source.loads == loads  # still cached
    assert len(cache) == 6  # the known key and the five newest refusals


async def test_a_refusal_is_cached_like_any_answer() -> None:
    source = Source()
    source.values["bad"] = "unknown"
    cache = IdentityCache(source.load, FakeClock(), ttl=60, negative=lambda v: v == "unknown")

    await cache.get("bad")
    await cache.get("bad")

    assert source.loads == 1
