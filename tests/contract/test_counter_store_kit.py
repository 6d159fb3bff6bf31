"""The counter store contract (rate limits and budgets), for the in-memory and Redis stores."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from switchboard.adapters.outbound.state.counters_memory import InMemoryCounterStore
from switchboard.domain.governance.counters import (
    REHYDRATE,
    Claim,
    ClaimKind,
    Granted,
    Missing,
    Refused,
    SettleAction,
    Settlement,
)
from switchboard.domain.ports.counters import CounterStore, StateUnavailable
from tests.support.servers import free_port

NOW = 1_800_000_000.0


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[CounterStore]:
    if request.param == "memory":
        yield InMemoryCounterStore()
        return
    import redis.asyncio as redis

    from switchboard.adapters.outbound.state.counters_redis import RedisCounterStore

    pool = redis.BlockingConnectionPool.from_url(request.getfixturevalue("redis_url"), max_connections=64)
    client = redis.Redis(connection_pool=pool)
    try:
        yield RedisCounterStore(client, timeout=2.0)
    finally:
        await client.aclose()
        await pool.disconnect()  # a pool handed in is not closed by the client: its connections would
        # outlive this test's event loop and warn "loop is closed" whenever the collector meets them


def name() -> str:
    return f"sb:test:{uuid.uuid4().hex}"


def requests(key: str, limit: int) -> Claim:
    return Claim(ClaimKind.REQUESTS, key, limit, 1, 60.0)


def budget(key: str, limit: int, weight: int, spent: int = 0) -> Claim:
    return Claim(ClaimKind.BUDGET, key, limit, weight, 900.0, spent=spent, keep=3600.0)


async def test_a_window_admits_up_to_its_limit(store: CounterStore) -> None:
    key = name()
    results = [await store.acquire([requests(key, 3)], f"m{i}", NOW + i) for i in range(4)]
    assert [isinstance(r, Granted) for r in results] == [True, True, True, False]
    refused = results[3]
    assert isinstance(refused, Refused)
    assert refused.used == 3
    assert refused.retry_after == pytest.approx(57.0)


async def test_a_window_frees_as_entries_expire(store: CounterStore) -> None:
    key = name()
    for i in range(2):
        await store.acquire([requests(key, 2)], f"m{i}", NOW + i)
    assert isinstance(await store.acquire([requests(key, 2)], "late", NOW + 59.5), Refused)
    assert isinstance(await store.acquire([requests(key, 2)], "later", NOW + 60.5), Granted)


async def test_concurrent_claims_never_exceed_the_limit(store: CounterStore) -> None:
    key = name()
    results = await asyncio.gather(*(store.acquire([requests(key, 10)], f"m{i}", NOW) for i in range(200)))
    assert sum(isinstance(r, Granted) for r in results) == 10


async def test_claims_are_all_or_nothing(store: CounterStore) -> None:
    wide, narrow = name(), name()
    await store.acquire([requests(narrow, 1)], "first", NOW)
    refused = await store.acquire([requests(wide, 5), requests(narrow, 1)], "second", NOW)
    assert isinstance(refused, Refused)
    assert refused.at == 1
    assert await store.usage([requests(wide, 5)], NOW) == (0,)


async def test_a_released_slot_is_free_again(store: CounterStore) -> None:
    key = name()
    slot = Claim(ClaimKind.PARALLEL, key, 1, 1, 600.0)
    assert isinstance(await store.acquire([slot], "a", NOW), Granted)
    assert isinstance(await store.acquire([slot], "b", NOW), Refused)
    await store.settle([Settlement(SettleAction.RELEASE, key)], "a", NOW)
    assert isinstance(await store.acquire([slot], "b", NOW), Granted)


async def test_an_unreleased_slot_frees_when_its_lease_ends(store: CounterStore) -> None:
    key = name()
    slot = Claim(ClaimKind.PARALLEL, key, 1, 1, 600.0)
    await store.acquire([slot], "crashed", NOW)
    assert isinstance(await store.acquire([slot], "b", NOW + 599), Refused)
    assert isinstance(await store.acquire([slot], "b", NOW + 601), Granted)


async def test_tokens_are_resized_to_what_was_used(store: CounterStore) -> None:
    key = name()
    tokens = Claim(ClaimKind.TOKENS, key, 150, 100, 60.0)
    await store.acquire([tokens], "a", NOW)
    assert isinstance(await store.acquire([tokens], "b", NOW), Refused)
    assert await store.settle([Settlement(SettleAction.RESIZE, key, 10)], "a", NOW) == (10,)
    assert isinstance(await store.acquire([tokens], "b", NOW), Granted)


async def test_a_budget_starts_from_what_the_database_says_was_spent(store: CounterStore) -> None:
    key = name()
    assert isinstance(await store.acquire([budget(key, 100, 30, spent=60)], "a", NOW), Granted)
    refused = await store.acquire([budget(key, 100, 30, spent=0)], "b", NOW)
    assert isinstance(refused, Refused)
    assert refused.used == 90  # 60 spent + 30 reserved; the later "spent=0" changed nothing
    assert refused.retry_after is None


async def test_settling_a_budget_swaps_the_reservation_for_the_cost(store: CounterStore) -> None:
    key = name()
    await store.acquire([budget(key, 100, 80)], "a", NOW)
    totals = await store.settle([Settlement(SettleAction.SPEND, key, 25, spent=0, keep=3600.0)], "a", NOW)
    assert totals == (25,)
    assert await store.usage([budget(key, 100, 0)], NOW) == (25,)
    assert isinstance(await store.acquire([budget(key, 100, 75)], "b", NOW), Granted)


async def test_a_spent_budget_refuses_even_free_calls(store: CounterStore) -> None:
    key = name()
    await store.acquire([budget(key, 100, 100)], "a", NOW)
    await store.settle([Settlement(SettleAction.SPEND, key, 100, spent=0, keep=3600.0)], "a", NOW)
    assert isinstance(await store.acquire([budget(key, 100, 0)], "b", NOW), Refused)


async def test_a_late_settlement_still_counts_its_cost(store: CounterStore) -> None:
    key = name()
    await store.acquire([budget(key, 100, 10)], "a", NOW)
    totals = await store.settle([Settlement(SettleAction.SPEND, key, 7, spent=0, keep=3600.0)], "a", NOW + 1000)
    assert totals == (7,)


async def test_usage_reads_without_changing(store: CounterStore) -> None:
    key = name()
    await store.acquire([requests(key, 5)], "a", NOW)
    assert await store.usage([requests(key, 5), budget(name(), 100, 0, spent=42)], NOW) == (1, 42)
    assert await store.usage([requests(key, 5)], NOW) == (1,)


async def test_granted_reports_use_and_when_the_oldest_entry_expires(store: CounterStore) -> None:
    key = name()
    await store.acquire([requests(key, 5)], "a", NOW)
    granted = await store.acquire([requests(key, 5)], "b", NOW + 20)
    assert isinstance(granted, Granted)
    assert granted.used == (2,)
    assert granted.resets_in[0] == pytest.approx(40.0)


async def test_a_budget_counter_of_unknown_spend_is_not_made_but_reported_missing(store: CounterStore) -> None:
    # issue 11, item 4: a counter lost with Redis is rehydrated from the database, never guessed
    key, rate = name(), name()
    unknown = budget(key, 1000, 100, spent=REHYDRATE)
    assert await store.acquire([requests(rate, 5), unknown], "a", NOW) == Missing((1,))
    assert await store.usage([requests(rate, 5)], NOW) == (0,)  # nothing was taken
    assert isinstance(await store.acquire([requests(rate, 5), budget(key, 1000, 100, spent=600)], "a", NOW), Granted)
    refused = await store.acquire([budget(key, 1000, 400, spent=REHYDRATE)], "b", NOW)  # exists now: judged
    assert refused == Refused(0, 700, None)


async def test_a_spend_on_a_lost_counter_of_unknown_spend_leaves_it_missing(store: CounterStore) -> None:
    key = name()
    await store.settle([Settlement(SettleAction.SPEND, key, 50, REHYDRATE, 3600.0)], "a", NOW)
    assert await store.acquire([budget(key, 1000, 100, spent=REHYDRATE)], "b", NOW) == Missing((0,))


async def test_an_unreachable_redis_raises_state_unavailable() -> None:
    import redis.asyncio as redis

    from switchboard.adapters.outbound.state.counters_redis import RedisCounterStore

    client = redis.Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.2)
    try:
        with pytest.raises(StateUnavailable):
            await RedisCounterStore(client, timeout=0.5).acquire([requests(name(), 1)], "a", NOW)
    finally:
        await client.aclose()
