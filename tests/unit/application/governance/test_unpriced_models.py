"""A caller with a budget calling a model without a known price: refused by default (its spend
could not be counted), or allowed and counted (``general_settings.unpriced_model_policy``)."""

from __future__ import annotations

import pytest

from switchboard.adapters.outbound.state.counters_memory import InMemoryCounterStore
from switchboard.application.governance.limits_hook import LimitSettings, LimitsHook
from switchboard.application.governance.prices import PriceBook
from switchboard.domain.calls import CallInfo
from switchboard.domain.chat import ChatRequest
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest
from switchboard.domain.governance.limits import Limits, Scope, ScopeKind
from switchboard.domain.principal import Principal, PrincipalKind
from tests.fakes import FakeClock, FakeIds
from tests.fakes.governance import RecordingAlerts

UNPRICED = Deployment(id="d1", model_name="local", provider="openai", model="my-local-model")
PRICED = Deployment(
    id="d2",
    model_name="local",
    provider="openai",
    model="my-local-model",
    model_info={"input_cost_per_token": 0.0, "output_cost_per_token": 0.0},
)


def hook(deployment: Deployment, policy: str = "refuse") -> LimitsHook:
    settings = LimitSettings(unpriced_policy="allow" if policy == "allow" else "refuse")
    prices = PriceBook(lambda model: [deployment])
    return LimitsHook(InMemoryCounterStore(), prices, FakeClock(), FakeIds(), RecordingAlerts(), settings=settings)


def call(limits: Limits) -> CallInfo[ChatRequest]:
    principal = Principal(PrincipalKind.KEY, key_hash="k", scopes=(Scope(ScopeKind.KEY, "k", limits),))
    return CallInfo(
        kind="chat",
        request=ChatRequest(model="local", messages=[{"role": "user", "content": "hi"}]),
        ctx=CallContext(request_id="r", principal=principal),
        model_group="local",
        prompt_tokens=10,
        max_output_tokens=5,
    )


async def test_a_caller_with_a_budget_is_refused_an_unpriced_model_by_default() -> None:
    with pytest.raises(BadRequest, match="no known price") as raised:
        await hook(UNPRICED).pre_call(call(Limits(max_budget=10.0)))
    assert raised.value.param == "model"


async def test_allow_admits_the_call_and_counts_it() -> None:
    limits = hook(UNPRICED, "allow")
    ticket = await limits.pre_call(call(Limits(max_budget=10.0)))
    assert ticket is not None
    assert limits.unpriced_calls == {"local": 1}


async def test_a_caller_without_a_budget_is_not_concerned() -> None:
    limits = hook(UNPRICED)
    await limits.pre_call(call(Limits(rpm=100)))
    assert limits.unpriced_calls == {}


async def test_a_model_priced_at_zero_is_priced() -> None:
    assert await hook(PRICED).pre_call(call(Limits(max_budget=10.0))) is not None
