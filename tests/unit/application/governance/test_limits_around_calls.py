"""The limits hook inside a real ChatService: streams, abandoned streams and failures settle."""

from __future__ import annotations

import pytest

from switchboard.adapters.outbound.state.counters_memory import InMemoryCounterStore
from switchboard.application.chat import ChatService
from switchboard.application.governance.limits_hook import LimitsHook
from switchboard.application.governance.prices import PriceBook
from switchboard.application.hooks import HookPipeline
from switchboard.domain.context import CallContext
from switchboard.domain.errors import ProviderUnavailable, RateLimited
from switchboard.domain.governance.limits import Limits, Scope, ScopeKind
from switchboard.domain.principal import Principal, PrincipalKind
from tests.fakes import FakeClock, FakeIds
from tests.fakes.governance import RecordingAlerts
from tests.fakes.providers import FakeChatProvider
from tests.unit.application.test_chat_service import chat, deployment, service

PRICED = deployment(model_info={"input_cost_per_token": 1.0, "output_cost_per_token": 1.0})
CTX = CallContext(
    request_id="r",
    principal=Principal(PrincipalKind.KEY, key_hash="k", scopes=(Scope(ScopeKind.KEY, "k", Limits(parallel=1)),)),
)


def governed(provider: FakeChatProvider) -> ChatService:
    hook = LimitsHook(InMemoryCounterStore(), PriceBook(lambda m: [PRICED]), FakeClock(), FakeIds(), RecordingAlerts())
    return service(provider, PRICED, hooks=HookPipeline([hook]))


async def test_an_abandoned_stream_gives_its_slot_back() -> None:
    chats = governed(FakeChatProvider(pieces=("a ", "b ", "c")))
    async with chats.stream(chat(stream=True), CTX) as stream:
        async for _ in stream:
            break
    async with chats.stream(chat(stream=True), CTX) as stream:
        assert [c.text async for c in stream]


async def test_a_slot_is_held_while_a_stream_is_open() -> None:
    chats = governed(FakeChatProvider())
    async with chats.stream(chat(stream=True), CTX):
        with pytest.raises(RateLimited):
            await chats.complete(chat(), CTX)


async def test_a_failed_call_gives_its_slot_back() -> None:
    chats = governed(FakeChatProvider(error=ProviderUnavailable("down")))
    for _ in range(3):
        with pytest.raises(ProviderUnavailable):
            await chats.complete(chat(), CTX)
