"""The router's live state contract, for the in-memory and Redis stores; then what only the
shared (Redis) store promises: every instance sees the same figures, and reservations from
several instances at once never exceed the limit."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest

from switchboard.adapters.outbound.routing import MemoryRoutingState
from switchboard.adapters.outbound.routing.redis import RedisRoutingState
from switchboard.domain.ports.counters import StateUnavailable
from switchboard.domain.ports.routing_state import RoutingState
from switchboard.domain.routing.stats import NO_STATS, DeploymentStats
from tests.support.servers import free_port

if TYPE_CHECKING:
    from redis.asyncio import Redis

NOW = 1_800_000_000.0  # the start of a minute window (1_800_000_000 / 60 is whole)
SAMPLES = 3


async def _drop_keys(client: Redis, prefix: str) -> None:
    """Delete this test's keys only (never the whole database)."""
    keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
    if keys:
        await client.delete(*keys)


@pytest.fixture
def prefix() -> str:
    return f"sb:test:rt:{uuid.uuid4().hex}:"


@pytest.fixture(params=["memory", "redis"])
async def state(request: pytest.FixtureRequest, prefix: str) -> AsyncIterator[RoutingState]:
    if request.param == "memory":
        yield MemoryRoutingState(samples=SAMPLES)
        return
    import redis.asyncio as redis

    client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
    try:
        yield RedisRoutingState(client, prefix=prefix, timeout=2.0, samples=SAMPLES)
    finally:
        await _drop_keys(client, prefix)
        await client.aclose()


async def one(state: RoutingState, deployment_id: str, now: float = NOW) -> DeploymentStats:
    return (await state.stats([deployment_id], now)).get(deployment_id, NO_STATS)


async def test_an_unknown_deployment_has_empty_stats(state: RoutingState) -> None:
    assert await one(state, "nobody") == DeploymentStats()


async def test_a_reservation_counts_a_request_its_tokens_and_one_in_flight(state: RoutingState) -> None:
    assert await state.reserve("d", NOW, rpm=10, tpm=1000, tokens=100)
    assert await state.reserve("d", NOW + 1, rpm=None, tpm=None, tokens=50)
    stats = await one(state, "d", NOW + 2)
    assert (stats.rpm_used, stats.tpm_used, stats.in_flight) == (2, 150, 2)


async def test_a_reservation_is_refused_at_the_rpm_limit_and_changes_nothing(state: RoutingState) -> None:
    assert await state.reserve("d", NOW, rpm=2, tpm=None, tokens=10)
    assert await state.reserve("d", NOW, rpm=2, tpm=None, tokens=10)
    assert not await state.reserve("d", NOW, rpm=2, tpm=None, tokens=10)
    stats = await one(state, "d")
    assert (stats.rpm_used, stats.tpm_used, stats.in_flight) == (2, 20, 2)


async def test_a_reservation_is_refused_when_its_tokens_exceed_the_tpm_limit(state: RoutingState) -> None:
    assert await state.reserve("d", NOW, rpm=None, tpm=100, tokens=60)
    assert not await state.reserve("d", NOW, rpm=None, tpm=100, tokens=41)
    assert await state.reserve("d", NOW, rpm=None, tpm=100, tokens=40)
    stats = await one(state, "d")
    assert (stats.rpm_used, stats.tpm_used, stats.in_flight) == (2, 100, 2)


async def test_a_new_minute_starts_rpm_and_tpm_afresh(state: RoutingState) -> None:
    assert await state.reserve("d", NOW + 59, rpm=1, tpm=100, tokens=100)
    assert not await state.reserve("d", NOW + 59.9, rpm=1, tpm=100, tokens=1)
    assert await state.reserve("d", NOW + 60, rpm=1, tpm=100, tokens=100)
    stats = await one(state, "d", NOW + 60)
    assert (stats.rpm_used, stats.tpm_used, stats.in_flight) == (1, 100, 2)
    assert (await one(state, "d", NOW + 120)).rpm_used == 0


async def test_a_release_ends_one_in_flight_request_and_adds_its_tokens(state: RoutingState) -> None:
    await state.reserve("d", NOW, rpm=None, tpm=None, tokens=10)
    await state.reserve("d", NOW, rpm=None, tpm=None, tokens=10)
    await state.release("d", NOW + 1, tokens=5)
    stats = await one(state, "d", NOW + 1)
    assert (stats.in_flight, stats.tpm_used) == (1, 25)


async def test_a_failed_attempt_gives_its_reserved_tokens_back(state: RoutingState) -> None:
    assert await state.reserve("d", NOW, rpm=None, tpm=1000, tokens=300)
    await state.release("d", NOW + 1, tokens=-300)
    assert (await one(state, "d", NOW + 2)).tpm_used == 0


async def test_tokens_given_back_after_the_minute_rolled_over_never_go_below_zero(state: RoutingState) -> None:
    assert await state.reserve("d", NOW, rpm=None, tpm=1000, tokens=300)
    await state.release("d", NOW + 60, tokens=-300)
    assert (await one(state, "d", NOW + 61)).tpm_used == 0


async def test_in_flight_never_goes_below_zero(state: RoutingState) -> None:
    await state.release("d", NOW)
    await state.release("d", NOW)
    await state.reserve("d", NOW, rpm=None, tpm=None, tokens=0)
    assert (await one(state, "d")).in_flight == 1


async def test_latency_and_ttft_are_the_means_of_the_last_samples(state: RoutingState) -> None:
    for latency in (9.0, 1.0, 2.0, 3.0):  # SAMPLES = 3: the 9.0 falls out
        await state.release("d", NOW, latency=latency)
    await state.release("d", NOW, ttft=0.5)
    await state.release("d", NOW, ttft=0.25)
    stats = await one(state, "d")
    assert stats.latency == pytest.approx(2.0)
    assert stats.ttft == pytest.approx(0.375)


async def test_a_release_without_samples_leaves_the_means_alone(state: RoutingState) -> None:
    await state.release("d", NOW, latency=0.5)
    await state.release("d", NOW)
    stats = await one(state, "d")
    assert stats.latency == pytest.approx(0.5)
    assert stats.ttft is None


async def test_failures_are_counted_within_the_window_only(state: RoutingState) -> None:
    assert await state.fail("d", NOW, window=60) == 1
    assert await state.fail("d", NOW + 30, window=60) == 2
    assert await state.fail("d", NOW + 30, window=60) == 3
    assert await state.fail("d", NOW + 70, window=60) == 3  # the one at NOW is over
    assert await state.fail("d", NOW + 200, window=60) == 1


async def test_a_cooldown_lasts_until_now_plus_its_seconds(state: RoutingState) -> None:
    await state.cool_down("d", NOW, seconds=30)
    assert (await one(state, "d", NOW + 1)).cooldown_until == pytest.approx(NOW + 30)
    assert (await one(state, "d", NOW + 1)).cooling(NOW + 1)
    assert (await one(state, "d", NOW + 31)).cooldown_until is None


async def test_the_longer_cooldown_wins(state: RoutingState) -> None:
    await state.cool_down("d", NOW, seconds=60)
    await state.cool_down("d", NOW + 1, seconds=5)
    assert (await one(state, "d", NOW + 2)).cooldown_until == pytest.approx(NOW + 60)
    await state.cool_down("d", NOW + 2, seconds=120)
    assert (await one(state, "d", NOW + 2)).cooldown_until == pytest.approx(NOW + 122)


async def test_a_cooldown_forgets_the_counted_failures(state: RoutingState) -> None:
    await state.fail("d", NOW, window=60)
    await state.fail("d", NOW, window=60)
    await state.cool_down("d", NOW, seconds=10)
    assert await state.fail("d", NOW + 1, window=60) == 1


async def test_stats_answer_for_many_deployments_at_once(state: RoutingState) -> None:
    await state.reserve("a", NOW, rpm=None, tpm=None, tokens=1)
    await state.release("b", NOW, latency=0.2)
    await state.cool_down("c", NOW, seconds=10)
    stats = await state.stats(["a", "b", "c", "d"], NOW)
    assert stats["a"].in_flight == 1
    assert stats["b"].latency == pytest.approx(0.2)
    assert stats["c"].cooldown_until == pytest.approx(NOW + 10)
    assert stats.get("d", NO_STATS) == NO_STATS
    assert await state.stats([], NOW) == {}


# Redis only: the state is shared between instances.


@pytest.fixture
async def two_instances(redis_url: str, prefix: str) -> AsyncIterator[tuple[RedisRoutingState, RedisRoutingState]]:
    import redis.asyncio as redis

    first = redis.Redis.from_url(redis_url)
    second = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        yield (
            RedisRoutingState(first, prefix=prefix, timeout=2.0),
            RedisRoutingState(second, prefix=prefix, timeout=2.0),
        )
    finally:
        await _drop_keys(first, prefix)
        await first.aclose()
        await second.aclose()


async def test_two_instances_see_the_same_figures(two_instances: tuple[RedisRoutingState, RedisRoutingState]) -> None:
    one_instance, other = two_instances
    await one_instance.reserve("d", NOW, rpm=None, tpm=None, tokens=7)
    await other.release("d", NOW, tokens=3, latency=0.4, ttft=0.1)
    await other.cool_down("d", NOW, seconds=30)
    for instance in two_instances:
        stats = (await instance.stats(["d"], NOW))["d"]
        assert stats == DeploymentStats(
            in_flight=0, rpm_used=1, tpm_used=10, latency=0.4, ttft=0.1, cooldown_until=NOW + 30
        )
    assert await one_instance.fail("e", NOW, window=60) == 1
    assert await other.fail("e", NOW, window=60) == 2


async def test_concurrent_reservations_from_two_instances_never_exceed_the_rpm(
    two_instances: tuple[RedisRoutingState, RedisRoutingState],
) -> None:
    calls = [two_instances[i % 2].reserve("d", NOW, rpm=20, tpm=None, tokens=1) for i in range(50)]
    granted = await asyncio.gather(*calls)
    assert sum(granted) == 20
    assert (await two_instances[0].stats(["d"], NOW))["d"].in_flight == 20


async def test_an_unreachable_redis_raises_state_unavailable() -> None:
    import redis.asyncio as redis

    client = redis.Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.2)
    state = RedisRoutingState(client, timeout=0.5)
    try:
        with pytest.raises(StateUnavailable):
            await state.reserve("d", NOW, rpm=None, tpm=None, tokens=1)
        with pytest.raises(StateUnavailable):
            await state.stats(["d"], NOW)
    finally:
        await client.aclose()
