"""The failover routing state: the shared store while it answers, this instance's own state
while it does not, and every release on the store that took its reservation."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import pytest

from switchboard.adapters.outbound.routing import FailoverRoutingState, MemoryRoutingState
from switchboard.domain.ports.counters import StateUnavailable
from switchboard.domain.routing.stats import NO_STATS, DeploymentStats
from tests.fakes import FakeClock

NOW = 1_800_000_000.0


class FlakyState(MemoryRoutingState):
    """A shared store that raises ``StateUnavailable`` on every call while ``down``."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False
        self.calls = 0

    def _check(self) -> None:
        self.calls += 1
        if self.down:
            raise StateUnavailable("redis: ConnectionError")

    async def stats(self, ids: Sequence[str], now: float) -> Mapping[str, DeploymentStats]:
        self._check()
        return await super().stats(ids, now)

    async def reserve(self, deployment_id: str, now: float, *, rpm: int | None, tpm: int | None, tokens: int) -> bool:
        self._check()
        return await super().reserve(deployment_id, now, rpm=rpm, tpm=tpm, tokens=tokens)

    async def release(
        self,
        deployment_id: str,
        now: float,
        *,
        tokens: int = 0,
        latency: float | None = None,
        ttft: float | None = None,
    ) -> None:
        self._check()
        await super().release(deployment_id, now, tokens=tokens, latency=latency, ttft=ttft)

    async def fail(self, deployment_id: str, now: float, *, window: float) -> int:
        self._check()
        return await super().fail(deployment_id, now, window=window)

    async def cool_down(self, deployment_id: str, now: float, *, seconds: float) -> None:
        self._check()
        await super().cool_down(deployment_id, now, seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def primary() -> FlakyState:
    return FlakyState()


@pytest.fixture
def local() -> MemoryRoutingState:
    return MemoryRoutingState()


@pytest.fixture
def state(primary: FlakyState, local: MemoryRoutingState, clock: FakeClock) -> FailoverRoutingState:
    return FailoverRoutingState(primary, local, clock_monotonic=clock.monotonic, retry_after=5.0)


async def in_flight(store: MemoryRoutingState, deployment_id: str = "d") -> int:
    return (await store.stats([deployment_id], NOW)).get(deployment_id, NO_STATS).in_flight


async def reserve(state: FailoverRoutingState) -> bool:
    return await state.reserve("d", NOW, rpm=None, tpm=None, tokens=1)


async def test_the_primary_serves_while_it_answers(
    state: FailoverRoutingState, primary: FlakyState, local: MemoryRoutingState
) -> None:
    assert await reserve(state)
    await state.cool_down("e", NOW, seconds=10)
    assert await in_flight(primary) == 1
    assert await in_flight(local) == 0
    assert (await state.stats(["e"], NOW))["e"].cooldown_until == NOW + 10


async def test_an_unavailable_primary_hands_over_to_local_state(
    state: FailoverRoutingState, primary: FlakyState, local: MemoryRoutingState
) -> None:
    primary.down = True
    assert await reserve(state)
    assert await state.fail("d", NOW, window=60) == 1
    assert await in_flight(local) == 1
    assert (await state.stats(["d"], NOW))["d"].in_flight == 1


async def test_the_primary_is_left_alone_until_retry_after_has_passed(
    state: FailoverRoutingState, primary: FlakyState, clock: FakeClock
) -> None:
    primary.down = True
    await reserve(state)
    calls = primary.calls
    clock.advance(4.9)
    await state.stats(["d"], NOW)
    await reserve(state)
    assert primary.calls == calls


async def test_the_primary_is_used_again_after_retry_after(
    state: FailoverRoutingState, primary: FlakyState, local: MemoryRoutingState, clock: FakeClock
) -> None:
    primary.down = True
    await reserve(state)
    primary.down = False
    clock.advance(5.0)
    await reserve(state)
    assert await in_flight(primary) == 1
    assert await in_flight(local) == 1


async def test_a_primary_still_down_after_retry_after_keeps_local_serving(
    state: FailoverRoutingState, primary: FlakyState, local: MemoryRoutingState, clock: FakeClock
) -> None:
    primary.down = True
    await reserve(state)
    clock.advance(5.0)
    assert await reserve(state)
    calls = primary.calls
    clock.advance(4.0)
    await reserve(state)
    assert primary.calls == calls
    assert await in_flight(local) == 3


async def test_a_release_goes_to_the_store_that_took_the_reservation(
    state: FailoverRoutingState, primary: FlakyState, local: MemoryRoutingState, clock: FakeClock
) -> None:
    await reserve(state)  # on the primary
    primary.down = True
    await reserve(state)  # on local
    primary.down = False
    clock.advance(5.0)
    await reserve(state)  # on the primary again
    await state.release("d", NOW, latency=0.5)
    assert (await in_flight(primary), await in_flight(local)) == (2, 0)
    await state.release("d", NOW)
    await state.release("d", NOW)
    assert (await in_flight(primary), await in_flight(local)) == (0, 0)


async def test_a_refused_local_reservation_is_not_released_on_local(
    state: FailoverRoutingState, primary: FlakyState, local: MemoryRoutingState, clock: FakeClock
) -> None:
    await reserve(state)  # on the primary
    primary.down = True
    assert not await state.reserve("d", NOW, rpm=0, tpm=None, tokens=1)
    primary.down = False
    clock.advance(5.0)
    await state.release("d", NOW)
    assert await in_flight(primary) == 0


async def test_a_release_the_primary_cannot_take_does_not_raise(
    state: FailoverRoutingState, primary: FlakyState
) -> None:
    await reserve(state)
    primary.down = True
    await state.release("d", NOW)
    assert await reserve(state)  # served locally: the primary is marked down


async def test_the_outage_is_logged_once_without_the_store_s_message(
    state: FailoverRoutingState, primary: FlakyState, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    primary.down = True
    with caplog.at_level(logging.WARNING, logger="switchboard.adapters.outbound.routing.failover"):
        for _ in range(3):
            await reserve(state)
            clock.advance(5.0)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "ConnectionError" not in warnings[0].getMessage()
