"""Rate limits and budgets around calls: reserve the worst case, settle the actual."""

from __future__ import annotations

import asyncio

import pytest
from freezegun import freeze_time

from switchboard.adapters.outbound.state.counters_memory import InMemoryCounterStore
from switchboard.adapters.outbound.system.clock import SystemClock
from switchboard.application.governance.limits_hook import LimitSettings, LimitsHook
from switchboard.application.governance.prices import PriceBook
from switchboard.application.hooks import HookPipeline
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.chat import ChatRequest, ChatResponse
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BudgetExceeded, RateLimited, ServiceUnavailable
from switchboard.domain.governance.counters import to_units
from switchboard.domain.governance.limits import Limits, Scope, ScopeKind
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.counters import CounterStore
from switchboard.domain.principal import Principal, PrincipalKind
from switchboard.domain.usage import Usage
from tests.fakes import FakeClock, FakeIds
from tests.fakes.governance import DownCounterStore, RecordingAlerts, SwitchableCounterStore
from tests.fakes.hooks import RecordingHook

# $1 per prompt token, $2 per output token: a call of 10 prompt tokens and max_tokens 5 costs at most $20.
DEPLOYMENT = Deployment(
    id="d1",
    model_name="m",
    provider="mock",
    model="mock",
    model_info={"input_cost_per_token": 1.0, "output_cost_per_token": 2.0, "max_output_tokens": 50},
)


def prices() -> PriceBook:
    return PriceBook(lambda model: [DEPLOYMENT])


def hook(
    counters: CounterStore | None = None, clock: Clock | None = None, settings: LimitSettings | None = None
) -> tuple[LimitsHook, RecordingAlerts]:
    alerts = RecordingAlerts()
    store = counters or InMemoryCounterStore()
    fallback = InMemoryCounterStore() if counters is not None else None
    made = LimitsHook(
        store,
        prices(),
        clock or FakeClock(),
        FakeIds(),
        alerts,
        fallback=fallback,
        settings=settings or LimitSettings(),
    )
    return made, alerts


def call(
    limits: Limits, *, max_tokens: int | None = 5, prompt: int = 10, reset_at: float | None = None
) -> CallInfo[ChatRequest]:
    scope = Scope(ScopeKind.KEY, "k", limits, reset_at=reset_at)
    principal = Principal(PrincipalKind.KEY, key_hash="k", scopes=(scope,))
    return CallInfo(
        kind="chat",
        request=ChatRequest(model="m", messages=[{"role": "user", "content": "hi"}]),
        ctx=CallContext(request_id="r", principal=principal),
        model_group="m",
        prompt_tokens=prompt,
        max_output_tokens=max_tokens,
    )


def done(info: CallInfo[ChatRequest], prompt: int = 10, completion: int = 5) -> CallOutcome[ChatRequest, ChatResponse]:
    return CallOutcome(info=info, deployment=DEPLOYMENT, usage=Usage.of(prompt, completion))


async def test_a_key_without_limits_takes_no_ticket() -> None:
    limits_hook, _ = hook()
    assert await limits_hook.pre_call(call(Limits())) is None


async def test_requests_beyond_the_rpm_are_refused_with_retry_after_and_headers() -> None:
    limits_hook, _ = hook()
    info = call(Limits(rpm=2))
    await limits_hook.pre_call(info)
    await limits_hook.pre_call(info)
    with pytest.raises(RateLimited) as refused:
        await limits_hook.pre_call(info)
    assert refused.value.retry_after == pytest.approx(60)
    assert info.ctx.response_headers["x-ratelimit-remaining-requests"] == "0"
    assert info.ctx.response_headers["x-ratelimit-limit-requests"] == "2"


async def test_admitted_calls_report_what_is_left() -> None:
    limits_hook, _ = hook()
    info = call(Limits(rpm=5, tpm=100))
    await limits_hook.pre_call(info)
    headers = info.ctx.response_headers
    assert (headers["x-ratelimit-remaining-requests"], headers["x-ratelimit-remaining-tokens"]) == ("4", "85")
    assert headers["x-ratelimit-reset-requests"] == "60s"


async def test_concurrent_calls_never_reserve_more_than_the_budget() -> None:
    limits_hook, _ = hook()
    info = call(Limits(max_budget=100.0))  # worst case $20 a call: five fit
    results = await asyncio.gather(*(limits_hook.pre_call(info) for _ in range(200)), return_exceptions=True)
    assert sum(not isinstance(r, BaseException) for r in results) == 5
    assert all(isinstance(r, BudgetExceeded) for r in results if isinstance(r, BaseException))


async def test_settling_swaps_the_reservation_for_the_actual_cost() -> None:
    limits_hook, _ = hook()
    info = call(Limits(max_budget=30.0))
    ticket = await limits_hook.pre_call(info)  # reserves $20 of $30
    with pytest.raises(BudgetExceeded):
        await limits_hook.pre_call(info)
    await limits_hook.post_call(done(info, prompt=2, completion=1), ticket)  # actually cost $4
    assert await limits_hook.pre_call(info) is not None  # $4 spent + $20 reserved fits in $30


async def test_a_budget_refusal_says_so_and_does_not_invite_retries() -> None:
    limits_hook, _ = hook()
    info = call(Limits(max_budget=10.0))
    with pytest.raises(BudgetExceeded) as refused:
        await limits_hook.pre_call(info)
    assert refused.value.code == "budget_exceeded"
    assert refused.value.retry_after is None
    assert info.ctx.response_headers["x-should-retry"] == "false"


async def test_without_max_tokens_the_models_max_output_is_reserved() -> None:
    limits_hook, _ = hook()
    # 10 prompt tokens + 50 output tokens (the model's max) = $110 worst case.
    with pytest.raises(BudgetExceeded):
        await limits_hook.pre_call(call(Limits(max_budget=109.0), max_tokens=None))
    assert await limits_hook.pre_call(call(Limits(max_budget=110.0), max_tokens=None)) is not None


async def test_a_refusal_by_a_later_hook_releases_the_reservation() -> None:
    limits_hook, _ = hook()
    pipeline = HookPipeline([limits_hook, RecordingHook(refuse=RateLimited("later hook says no"))])
    info = call(Limits(max_budget=20.0, parallel=1))
    for _ in range(3):
        with pytest.raises(RateLimited):
            await pipeline.admit(info)
    assert await limits_hook.pre_call(info) is not None


async def test_a_failed_call_frees_its_parallel_slot_and_costs_nothing() -> None:
    limits_hook, _ = hook()
    info = call(Limits(parallel=1, max_budget=20.0))
    ticket = await limits_hook.pre_call(info)
    await limits_hook.post_call(CallOutcome(info=info, error=RateLimited("upstream"), completed=False), ticket)
    assert await limits_hook.pre_call(info) is not None


async def test_crossing_the_soft_budget_alerts_once() -> None:
    limits_hook, alerts = hook()
    info = call(Limits(soft_budget=25.0, max_budget=1000.0))
    for _ in range(3):
        await limits_hook.post_call(done(info), await limits_hook.pre_call(info))  # $20 each
    assert [(a.type, a.key, dict(a.facts)["spend"]) for a in alerts.sent] == [
        ("budget_alerts", "budget:soft_budget_crossed:key:k", "40.0000")
    ]


async def test_using_up_the_budget_alerts() -> None:
    limits_hook, alerts = hook()
    info = call(Limits(max_budget=20.0))
    await limits_hook.post_call(done(info), await limits_hook.pre_call(info))
    assert [a.key for a in alerts.sent] == ["budget:budget_exceeded:key:k"]


async def test_a_budget_period_starts_afresh_at_its_boundary() -> None:
    with freeze_time("2026-06-01 00:00:00", real_asyncio=True) as frozen:
        limits_hook, _ = hook(clock=SystemClock())
        clock = SystemClock()
        info = call(Limits(max_budget=20.0, budget_period=3600), reset_at=clock.now() + 3600)
        await limits_hook.post_call(done(info), await limits_hook.pre_call(info))
        with pytest.raises(BudgetExceeded) as refused:
            await limits_hook.pre_call(info)
        assert refused.value.retry_after == pytest.approx(3600)
        frozen.tick(3599)
        with pytest.raises(BudgetExceeded):
            await limits_hook.pre_call(info)
        frozen.tick(2)
        assert await limits_hook.pre_call(info) is not None


async def test_a_reservation_settles_in_the_period_it_was_taken() -> None:
    with freeze_time("2026-06-01 00:00:00", real_asyncio=True) as frozen:
        clock = SystemClock()
        limits_hook, _ = hook(clock=clock)
        info = call(Limits(max_budget=40.0, budget_period=3600), reset_at=clock.now() + 3600)
        ticket = await limits_hook.pre_call(info)  # in the first hour
        frozen.tick(3601)
        await limits_hook.post_call(done(info), ticket)  # settles after the boundary
        assert await limits_hook.pre_call(info) is not None
        assert await limits_hook.pre_call(info) is not None  # the new hour is untouched: $40 free


async def test_budgets_fail_closed_when_the_shared_store_is_down() -> None:
    limits_hook, _ = hook(counters=DownCounterStore())
    with pytest.raises(ServiceUnavailable) as refused:
        await limits_hook.pre_call(call(Limits(max_budget=100.0)))
    assert refused.value.code == "budget_store_unavailable"


async def test_rate_limits_fail_open_to_local_counters_when_configured() -> None:
    down = DownCounterStore()
    limits_hook, _ = hook(counters=down, settings=LimitSettings(rate_limits_fail_open=True))
    info = call(Limits(rpm=1))
    assert await limits_hook.pre_call(info) is not None
    with pytest.raises(RateLimited):
        await limits_hook.pre_call(info)  # the local counters still count
    assert down.attempts == 1  # the breaker spared the dead store the second call


async def test_rate_limits_fail_closed_by_default() -> None:
    limits_hook, _ = hook(counters=DownCounterStore())
    with pytest.raises(ServiceUnavailable) as refused:
        await limits_hook.pre_call(call(Limits(rpm=1)))
    assert refused.value.code == "rate_limit_store_unavailable"


# --- the shared store away and back: deferred settlements and a half-open breaker ---------------


async def test_a_settlement_the_store_missed_frees_the_slot_as_soon_as_it_is_back() -> None:
    store, clock = SwitchableCounterStore(), FakeClock()
    limits_hook, _ = hook(counters=store, clock=clock)
    info = call(Limits(parallel=1))
    ticket = await limits_hook.pre_call(info)
    store.down = True
    await limits_hook.post_call(done(info), ticket)  # Redis paused: the slot stays taken there
    store.down = False
    clock.advance(0.3)  # the breaker's first open time

    assert await limits_hook.pre_call(call(Limits(parallel=1))) is not None  # not 429 for the lease
    assert limits_hook.pending_settlements == 0


async def test_a_settlement_the_store_missed_is_applied_in_the_background() -> None:
    store, clock = SwitchableCounterStore(), FakeClock()
    limits_hook, _ = hook(counters=store, clock=clock)
    info = call(Limits(max_budget=100.0))
    ticket = await limits_hook.pre_call(info)
    store.down = True
    await limits_hook.post_call(done(info), ticket)
    store.down = False

    assert await limits_hook.retry_pending()

    [spent] = await store.inner.usage(ticket.claims if ticket else [], clock.now())
    assert spent == to_units(20.0)  # the actual cost, the reservation gone


async def test_deferred_settlements_wait_in_order_and_are_bounded() -> None:
    store = SwitchableCounterStore()
    limits_hook, _ = hook(counters=store, settings=LimitSettings(pending_settlements=2))
    infos = [call(Limits(parallel=100)) for _ in range(3)]
    tickets = [await limits_hook.pre_call(info) for info in infos]
    store.down = True
    for info, ticket in zip(infos, tickets, strict=True):
        await limits_hook.post_call(done(info), ticket)

    assert (limits_hook.pending_settlements, limits_hook.dropped_settlements) == (2, 1)


async def test_after_a_failure_calls_stay_off_the_store_until_the_probe_time() -> None:
    store, clock = SwitchableCounterStore(down=True), FakeClock()
    limits_hook, _ = hook(counters=store, clock=clock, settings=LimitSettings(rate_limits_fail_open=True))
    for _ in range(5):
        await limits_hook.pre_call(call(Limits(rpm=100)))

    assert store.attempts == 1


async def test_one_probe_after_the_open_time_closes_the_breaker_when_the_store_is_back() -> None:
    store, clock = SwitchableCounterStore(down=True), FakeClock()
    limits_hook, _ = hook(counters=store, clock=clock)
    with pytest.raises(ServiceUnavailable):
        await limits_hook.pre_call(call(Limits(max_budget=100.0)))
    store.down = False
    clock.advance(0.3)  # past the first open time (0.25 s), well within the old 5 s breaker

    assert await limits_hook.pre_call(call(Limits(max_budget=100.0))) is not None


async def test_while_one_call_probes_the_others_do_not_wait_on_the_store() -> None:
    store, clock = SwitchableCounterStore(down=True), FakeClock()
    limits_hook, _ = hook(counters=store, clock=clock, settings=LimitSettings(rate_limits_fail_open=True))
    await limits_hook.pre_call(call(Limits(rpm=100)))  # opens the breaker
    clock.advance(0.3)
    store.gate, store.reached = asyncio.Event(), asyncio.Event()
    probe = asyncio.create_task(limits_hook.pre_call(call(Limits(rpm=100))))
    await store.reached.wait()

    assert await limits_hook.pre_call(call(Limits(rpm=100))) is not None  # judged locally meanwhile
    store.gate.set()
    await probe
    assert store.attempts == 2


async def test_the_open_time_grows_while_probes_fail_up_to_its_cap() -> None:
    store, clock = SwitchableCounterStore(down=True), FakeClock()
    limits_hook, _ = hook(
        counters=store, clock=clock, settings=LimitSettings(rate_limits_fail_open=True, probe_interval_max=1.0)
    )
    for _ in range(10):  # probes at 0.25, 0.5, 1, 1, ... seconds
        await limits_hook.pre_call(call(Limits(rpm=1000)))
        clock.advance(1.0)
    store.down = False
    clock.advance(1.0)

    await limits_hook.pre_call(call(Limits(rpm=1000)))

    assert store.attempts == 11  # each probe waited at most a second, the last one found the store back
