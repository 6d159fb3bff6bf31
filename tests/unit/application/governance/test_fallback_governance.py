"""Every model a call may fall back to passes the same checks as the model asked for (issue 11,
item 1): a key allowed only ``cheap`` never reaches ``premium`` through a fallback, and the budget
reservation is priced on the group actually tried."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from switchboard.adapters.outbound.state.counters_memory import InMemoryCounterStore
from switchboard.application.governance.access_hook import ModelAccessHook
from switchboard.application.governance.limits_hook import LimitsHook
from switchboard.application.governance.prices import PriceBook
from switchboard.application.router import RouterPolicy
from switchboard.domain.chat import ChatRequest
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import PermissionDenied, ProviderUnavailable
from switchboard.domain.governance.counters import Claim, ClaimKind, to_units
from switchboard.domain.governance.limits import Limits, Scope, ScopeKind
from switchboard.domain.principal import Principal, PrincipalKind
from switchboard.domain.routing import Fallbacks
from switchboard.domain.usage import Usage
from tests.fakes import FakeClock, FakeIds
from tests.fakes.endpoints import AnyCall, FakeUpstream
from tests.fakes.governance import RecordingAlerts
from tests.support.endpoints import Gateway, gateway

# $1 / $10 per token in and out; a call of a few prompt tokens and max_tokens 10 costs at most
# about $13 on cheap, $130 on premium.
CHEAP = Deployment(
    id="cheap-1",
    model_name="cheap",
    provider="mock",
    model="c",
    model_info={"input_cost_per_token": 1.0, "output_cost_per_token": 1.0},
)
PREMIUM = Deployment(
    id="premium-1",
    model_name="premium",
    provider="mock",
    model="p",
    model_info={"input_cost_per_token": 10.0, "output_cost_per_token": 10.0},
)


@dataclass
class CheapDown(FakeUpstream):
    """Every call to ``cheap`` fails with a 500; the others answer (after ``on_premium``)."""

    on_premium: Callable[[], Awaitable[None]] | None = None

    async def _arrive(self, call: AnyCall) -> None:
        await super()._arrive(call)
        if call.deployment.id == CHEAP.id:
            raise ProviderUnavailable("down", status=500)
        if self.on_premium is not None:
            await self.on_premium()


def prices() -> PriceBook:
    groups = {"cheap": [CHEAP], "premium": [PREMIUM]}
    return PriceBook(lambda model: groups[model])


def setup(*, config_fallback: bool = False) -> tuple[Gateway, CheapDown, InMemoryCounterStore]:
    book = prices()
    store = InMemoryCounterStore()
    limits = LimitsHook(store, book, FakeClock(), FakeIds(), RecordingAlerts())
    fallbacks = Fallbacks(general={"cheap": ("premium",)} if config_fallback else {})
    upstream = CheapDown()
    g = gateway(
        upstream,
        deployments=[CHEAP, PREMIUM],
        hooks=[ModelAccessHook(book), limits],
        policy=RouterPolicy(fallbacks=fallbacks),
    )
    return g, upstream, store


def context(*, models: tuple[str, ...] = ("cheap",), budget: float | None = None) -> CallContext:
    scope = Scope(ScopeKind.KEY, "k", Limits(max_budget=budget))
    principal = Principal(PrincipalKind.KEY, key_hash="k", models=(models,), scopes=(scope,))
    return CallContext(request_id="r", principal=principal)


def ask(**extra: Any) -> ChatRequest:
    return ChatRequest.model_validate(
        {"model": "cheap", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 10, **extra}
    )


def tried(upstream: FakeUpstream) -> list[str]:
    return [call.deployment.id for call in upstream.calls]


async def test_a_request_fallback_the_key_may_not_use_is_refused_up_front_naming_it() -> None:
    g, upstream, _ = setup()
    with pytest.raises(PermissionDenied) as refused:
        await g.chat.complete(ask(fallbacks=["premium"]), context())
    assert refused.value.param == "fallbacks[0]"
    assert "premium" in refused.value.message
    assert upstream.calls == []


async def test_a_configured_fallback_the_key_may_not_use_is_skipped_and_noted() -> None:
    g, upstream, _ = setup(config_fallback=True)
    ctx = context()
    with pytest.raises(ProviderUnavailable):
        await g.chat.complete(ask(), ctx)
    assert tried(upstream) == ["cheap-1"]  # premium never reached
    assert ctx.response_headers["x-switchboard-skipped-fallbacks"] == "premium (model_not_allowed)"


async def test_a_fallback_the_key_may_use_is_served() -> None:
    g, upstream, _ = setup()
    response = await g.chat.complete(ask(fallbacks=["premium"]), context(models=("cheap", "premium")))
    assert response.route is not None and response.route.deployment_id == "premium-1"
    assert tried(upstream) == ["cheap-1", "premium-1"]


async def test_a_fallback_the_budget_cannot_cover_is_refused() -> None:
    # $50 covers a call to cheap (at most ~$13) but not one to premium (at most ~$130)
    g, upstream, _ = setup()
    ctx = context(models=("cheap", "premium"), budget=50.0)
    with pytest.raises(ProviderUnavailable):
        await g.chat.complete(ask(fallbacks=["premium"]), ctx)
    assert tried(upstream) == ["cheap-1"]
    assert ctx.response_headers["x-switchboard-skipped-fallbacks"] == "premium (budget_exceeded)"


async def test_a_dearer_fallback_is_reserved_at_its_price_and_only_its_cost_stays_spent() -> None:
    g, upstream, store = setup()
    upstream.usage = Usage.of(2, 3)  # premium's answer costs $50
    budget = Claim(ClaimKind.BUDGET, "sb:bud:key:k:all", to_units(1000.0), 0, 900.0)
    during: list[int] = []

    async def look() -> None:
        (held,) = await store.usage([budget], FakeClock().now())
        during.append(held)

    upstream.on_premium = look
    await g.chat.complete(ask(fallbacks=["premium"]), context(models=("cheap", "premium"), budget=1000.0))
    assert tried(upstream) == ["cheap-1", "premium-1"]
    assert len(during) == 1 and during[0] >= to_units(100.0)  # premium's worst case, not cheap's ~$13
    assert await store.usage([budget], FakeClock().now()) == (to_units(50.0),)  # then only its cost
