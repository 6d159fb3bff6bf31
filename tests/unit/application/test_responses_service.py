"""The Responses use case on the one call path: native or translated per deployment, settled
once as a ``responses`` call, stored for its key."""

from __future__ import annotations

import pytest

from switchboard.adapters.outbound.state.responses_memory import MemoryResponseStore
from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.hooks import HookPipeline
from switchboard.application.responses import ResponsesService
from switchboard.application.router import Router, RouterPolicy
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import NotFound, ProviderUnavailable
from switchboard.domain.principal import Principal, PrincipalKind
from switchboard.domain.responses.wire import ResponsesRequest
from switchboard.domain.routing import Fallbacks
from switchboard.domain.usage import Usage
from tests.fakes import FakeClock, FakeRandom, FakeTokenCounter
from tests.fakes.hooks import RecordingSink
from tests.fakes.providers import FakeChatProvider, FakeProviderDirectory
from tests.fakes.responses import FakeResponsesDirectory, FakeResponsesProvider
from tests.fakes.system import FakeIds

ALICE = CallContext(request_id="r1", principal=Principal(PrincipalKind.KEY, key_hash="alice"))
BOB = CallContext(request_id="r2", principal=Principal(PrincipalKind.KEY, key_hash="bob"))


class Rig:
    def __init__(
        self,
        *,
        native_error: ProviderUnavailable | None = None,
        store: MemoryResponseStore | None = None,
        clock: FakeClock | None = None,
        purge_every: int = 500,
    ) -> None:
        self.chat = FakeChatProvider(text="translated", pieces=("trans", "lated"), usage=Usage.of(5, 1))
        self.native = FakeResponsesProvider(error=native_error)
        self.sink = RecordingSink()
        self.store = store or MemoryResponseStore()
        directory = DeploymentDirectory(
            [
                Deployment(id="oa", model_name="gpt", provider="openai", model="gpt-up"),
                Deployment(id="an", model_name="claude", provider="anthropic", model="claude-up"),
            ]
        )
        clock = clock or FakeClock()
        policy = RouterPolicy(fallbacks=Fallbacks(general={"gpt": ("claude",)}))
        path = CallPath(Router(directory, FakeRandom(), clock, policy=policy), clock, HookPipeline(sinks=[self.sink]))
        providers = FakeResponsesDirectory(FakeProviderDirectory(self.chat), {"openai": self.native})
        chat = ChatService(path, providers, FakeTokenCounter())
        self.service = ResponsesService(
            path,
            providers,
            chat,
            FakeTokenCounter(),
            self.store,
            clock,
            FakeIds(),
            retention=10.0,
            purge_every=purge_every,
        )


def request(model: str, **fields: object) -> ResponsesRequest:
    return ResponsesRequest.model_validate({"model": model, "input": "hello", **fields})


async def test_a_native_deployment_gets_the_request_as_sent_and_the_call_settles_as_responses() -> None:
    rig = Rig()
    response = await rig.service.create(request("gpt", include=["reasoning.encrypted_content"], fallbacks=[]), ALICE)
    assert response.output_text == "native: hi"
    assert rig.native.bodies == [
        {"model": "gpt", "input": "hello", "include": ["reasoning.encrypted_content"], "stream": False}
    ]
    (outcome,) = rig.sink.outcomes
    assert outcome.info.kind == "responses" and outcome.ok
    assert outcome.usage == Usage.of(4, 2)
    assert outcome.deployment is not None and outcome.deployment.id == "oa"


async def test_a_failing_native_group_falls_back_to_a_translated_one() -> None:
    rig = Rig(native_error=ProviderUnavailable("down", provider="openai"))
    response = await rig.service.create(request("gpt"), ALICE)
    assert response.output_text == "translated"
    assert response.route is not None and response.route.provider == "anthropic"
    (outcome,) = rig.sink.outcomes
    assert outcome.attempted == ("oa",) and outcome.usage == Usage.of(5, 1)


async def test_a_translated_stream_settles_once_with_the_chat_usage() -> None:
    rig = Rig()
    async with rig.service.stream(request("claude"), ALICE) as stream:
        events = [event async for event in stream]
    assert events[0]["type"] == "response.created" and events[-1]["type"] == "response.completed"
    (outcome,) = rig.sink.outcomes
    assert outcome.info.kind == "responses" and outcome.completed and outcome.usage == Usage.of(5, 1)
    assert rig.chat.open_streams == 0


async def test_leaving_a_native_stream_early_closes_the_upstream_and_settles_it_incomplete() -> None:
    rig = Rig()
    async with rig.service.stream(request("gpt"), ALICE) as stream:
        async for event in stream:
            assert event["type"] == "response.created"
            break
    assert rig.native.open_streams == 0
    (outcome,) = rig.sink.outcomes
    assert not outcome.completed


async def test_a_stored_response_continues_the_conversation_for_its_key_only() -> None:
    rig = Rig()
    first = await rig.service.create(request("claude"), ALICE)
    await rig.service.create(request("claude", input="again", previous_response_id=first.id), ALICE)
    messages = rig.chat.calls[-1].request.messages
    assert [m.role for m in messages] == ["user", "assistant", "user"]
    with pytest.raises(NotFound) as missing:
        await rig.service.create(request("claude", previous_response_id=first.id), BOB)
    assert missing.value.param == "previous_response_id"
    with pytest.raises(NotFound):
        await rig.service.retrieve(first.id, BOB)


async def test_store_false_keeps_nothing() -> None:
    rig = Rig()
    created = await rig.service.create(request("claude", store=False), ALICE)
    with pytest.raises(NotFound):
        await rig.service.retrieve(created.id, ALICE)


async def test_a_streamed_response_is_stored_once_read_to_its_end() -> None:
    rig = Rig()
    async with rig.service.stream(request("claude"), ALICE) as stream:
        events = [event async for event in stream]
    stored = await rig.service.retrieve(events[0]["response"]["id"], ALICE)
    assert stored["status"] == "completed" and stored["output"][0]["content"][0]["text"] == "translated"


class CountingStore(MemoryResponseStore):
    """The memory store, counting what ``purge`` forgot."""

    def __init__(self) -> None:
        super().__init__()
        self.purged = 0

    async def purge(self, now: float) -> int:
        forgotten = await super().purge(now)
        self.purged += forgotten
        return forgotten


async def test_expired_responses_are_purged_as_new_ones_are_stored() -> None:
    store, clock = CountingStore(), FakeClock()
    rig = Rig(store=store, clock=clock, purge_every=2)
    await rig.service.create(request("claude"), ALICE)
    clock.advance(11.0)  # past the retention
    await rig.service.create(request("claude"), ALICE)
    assert store.purged == 1
