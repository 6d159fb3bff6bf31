"""A budget counter Redis lost (FLUSHALL, eviction, a restart without persistence) is made again
from the database's committed spend plus the rows still queued in the spend writer, never from
the spend a cached principal carried (issue 11, item 4). On the real Redis, with key names of
this test's own, deleted to stand for the loss."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from switchboard.adapters.outbound.state.counters_memory import InMemoryCounterStore
from switchboard.adapters.outbound.state.counters_redis import RedisCounterStore
from switchboard.application.governance.limits_hook import LimitsHook
from switchboard.application.governance.prices import PriceBook
from switchboard.application.governance.rehydration import BudgetRehydration
from switchboard.application.governance.spend_writer import SpendWriter
from switchboard.application.hooks import HookPipeline
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.chat import ChatRequest
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BudgetExceeded
from switchboard.domain.governance.limits import Limits, Scope, ScopeKind
from switchboard.domain.principal import Principal, PrincipalKind
from switchboard.domain.usage import Usage
from tests.fakes import FakeClock, FakeIds
from tests.fakes.governance import FakeLedger, RecordingAlerts

# 1 cent a token: 10 prompt tokens and max_tokens 10 reserve $0.20, and the answer costs $0.20.
DEPLOYMENT = Deployment(
    id="d1",
    model_name="m",
    provider="mock",
    model="mock",
    model_info={"input_cost_per_token": 0.01, "output_cost_per_token": 0.01},
)


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[Any]:
    import redis.asyncio as redis

    client = redis.Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


class Rig:
    def __init__(self, client: Any) -> None:
        self.key = uuid.uuid4().hex  # the key's hash: counter names of this test's own
        self.client = client
        self.ledger = FakeLedger()
        prices = PriceBook(lambda model: [DEPLOYMENT])
        self.writer = SpendWriter(self.ledger, FakeClock(), FakeIds(), cost=prices.cost)
        self.limits = LimitsHook(
            RedisCounterStore(client, timeout=2.0),
            prices,
            FakeClock(),
            FakeIds(),
            RecordingAlerts(),
            fallback=InMemoryCounterStore(),
            rehydration=BudgetRehydration(self.ledger, self.writer),
        )
        self.pipeline = HookPipeline([self.limits], [self.writer])

    def info(self) -> CallInfo[ChatRequest]:
        # the principal as a cache would hold it: it says nothing was spent, which is stale
        scope = Scope(ScopeKind.KEY, self.key, Limits(max_budget=1.0), spend=0.0)
        return CallInfo(
            kind="chat",
            request=ChatRequest(model="m", messages=[{"role": "user", "content": "hi"}]),
            ctx=CallContext(request_id="r", principal=Principal(PrincipalKind.KEY, key_hash=self.key, scopes=(scope,))),
            model_group="m",
            prompt_tokens=10,
            max_output_tokens=10,
        )

    async def call(self) -> None:
        """One call through the hooks: admitted (or refused), answered, settled, its row queued."""
        info = self.info()
        admission = await self.pipeline.admit(info)
        await admission.settle(CallOutcome(info=info, deployment=DEPLOYMENT, usage=Usage.of(10, 10)))

    async def lose_the_counters(self) -> None:
        names = [name async for name in self.client.scan_iter(match=f"sb:*{self.key}*")]
        assert names  # the budget counter existed
        await self.client.delete(*names)


async def admitted(rig: Rig, tries: int) -> int:
    count = 0
    for _ in range(tries):
        try:
            await rig.call()
        except BudgetExceeded:
            continue
        count += 1
    return count


async def test_after_redis_loses_a_budget_only_what_is_left_is_admitted(redis_client: Any) -> None:
    rig = Rig(redis_client)
    assert await admitted(rig, 2) == 2
    assert await rig.writer.flush()  # $0.40 committed to the database
    assert await admitted(rig, 1) == 1  # $0.20 more still queued in the writer
    await rig.lose_the_counters()  # $0.60 of $1.00 spent, and Redis forgot it
    assert await admitted(rig, 10) == 2  # $0.40 left: two calls, not five (nor 99)


async def test_a_call_in_flight_when_the_counter_is_lost_still_counts(redis_client: Any) -> None:
    rig = Rig(redis_client)
    assert await admitted(rig, 3) == 3  # $0.60, all queued
    info = rig.info()
    in_flight = await rig.pipeline.admit(info)  # reserves $0.20
    await rig.lose_the_counters()  # its reservation is lost too
    await in_flight.settle(CallOutcome(info=info, deployment=DEPLOYMENT, usage=Usage.of(10, 10)))
    assert await admitted(rig, 10) == 1  # $0.80 spent: one more
