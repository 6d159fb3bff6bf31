"""The Anthropic door's use case on the one call path: native deployments relayed, others
translated through chat, fallbacks between the two, and every call settled as ``messages``."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from switchboard.adapters.outbound.providers.info import Declarations, ProviderDeps, ProviderInfo
from switchboard.adapters.outbound.providers.registry import ProviderRegistry
from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.hooks import HookPipeline
from switchboard.application.messages import MessagesService
from switchboard.application.router import Router
from switchboard.domain.anthropic_messages.events import EventReader
from switchboard.domain.anthropic_messages.wire import CountTokensRequest, MessagesRequest
from switchboard.domain.catalog import ModelInfo
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import ProviderUnavailable
from switchboard.domain.ports.catalog import ModelCatalog
from switchboard.domain.usage import Usage
from tests.fakes import FakeClock, FakeIds, FakeRandom, FakeTokenCounter
from tests.fakes.catalog import FakeModelCatalog
from tests.fakes.hooks import RecordingSink
from tests.fakes.media_providers import ECHO_CHAT_PARAMS, EchoChatProvider
from tests.fakes.messages_providers import FakeMessagesProvider
from tests.fakes.transport import UnusedTransport

CTX = CallContext(request_id="r1")


def _info(name: str, adapter: FakeMessagesProvider | EchoChatProvider) -> ProviderInfo:
    adapters = adapter.adapters()
    return ProviderInfo(
        name=name,
        title=name,
        endpoints=adapters.endpoints(),
        chat_params=lambda model: ECHO_CHAT_PARAMS,
        build=lambda deps: adapters,
    )


def service(
    native: FakeMessagesProvider, echo: EchoChatProvider, sink: RecordingSink, catalog: ModelCatalog | None = None
) -> MessagesService:
    directory = DeploymentDirectory(
        [
            Deployment(id="d-native", model_name="claude", provider="native", model="claude-up"),
            Deployment(id="d-echo", model_name="gpt", provider="echo", model="gpt-up"),
        ]
    )
    deps = ProviderDeps(transport=UnusedTransport(), clock=FakeClock(), ids=FakeIds(), tokens=FakeTokenCounter())
    registry = ProviderRegistry(Declarations.of(_info("native", native), _info("echo", echo)), deps)
    path = CallPath(Router(directory, FakeRandom(), FakeClock()), FakeClock(), HookPipeline([], [sink]))
    chat = ChatService(path, registry, FakeTokenCounter())
    return MessagesService(path, registry, chat, FakeTokenCounter(), catalog=catalog)


def request(**fields: Any) -> MessagesRequest:
    body = {"model": "claude", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}], **fields}
    return MessagesRequest.model_validate(body)


async def test_a_native_deployment_gets_the_body_as_sent_and_its_answer_is_relayed() -> None:
    native, sink = FakeMessagesProvider(), RecordingSink()
    sent = request(metadata={"user_id": "u", "tags": ["t"]}, num_retries=0, context_management={"edits": []})
    sent.forwarding({"anthropic-beta": "b1"})
    answer = await service(native, EchoChatProvider(), sink).create(sent, CTX)
    call = native.calls[0]
    assert dict(call.body) == {
        "model": "claude-up",
        "max_tokens": 10,
        "messages": [{"role": "user", "content": "hi"}],
        "metadata": {"user_id": "u"},
        "context_management": {"edits": []},
    }
    assert call.headers == {"anthropic-beta": "b1"}
    assert orjson.loads(answer.body)["content"] == [{"type": "text", "text": "native hi"}]
    outcome = sink.outcomes[0]
    assert outcome.info.kind == "messages" and outcome.ok
    assert outcome.usage == Usage.of(10, 2, cached=4)


async def test_a_failing_native_deployment_falls_back_to_a_translated_one_in_the_same_call() -> None:
    native, echo, sink = FakeMessagesProvider(fail=True), EchoChatProvider(), RecordingSink()
    answer = await service(native, echo, sink).create(request(fallbacks=["gpt"]), CTX)
    message = answer.message()
    assert message.text == "reply: hi" and message.model == "claude"
    assert answer.route is not None and answer.route.deployment_id == "d-echo"
    assert len(sink.outcomes) == 1 and sink.outcomes[0].attempted == ("d-native",)


async def test_a_stream_falls_back_before_its_first_byte_and_is_translated() -> None:
    native, echo, sink = FakeMessagesProvider(fail=True), EchoChatProvider(), RecordingSink()
    async with service(native, echo, sink).stream(request(fallbacks=["gpt"], stream=True), CTX) as stream:
        data = b"".join([piece async for piece in stream])
    kinds = [event.type for event in EventReader().feed(data)]
    assert kinds[0] == "message_start" and kinds[-1] == "message_stop"
    outcome = sink.outcomes[0]
    assert outcome.completed and outcome.deployment is not None and outcome.deployment.id == "d-echo"


async def test_a_native_stream_is_relayed_byte_for_byte_and_settled_with_its_usage() -> None:
    native, sink = FakeMessagesProvider(), RecordingSink()
    async with service(native, EchoChatProvider(), sink).stream(request(stream=True), CTX) as stream:
        data = b"".join([piece async for piece in stream])
    assert data.startswith(b"event: message_start\n") and data.endswith(
        b'event: message_stop\ndata: {"type":"message_stop"}\n\n'
    )
    outcome = sink.outcomes[0]
    assert outcome.completed and outcome.completion_text == "native hi"
    assert outcome.usage == Usage.of(10, 2, cached=4)
    assert native.closed_streams == 1


async def test_a_native_stream_that_stops_short_fails_and_is_settled_incomplete() -> None:
    native, sink = FakeMessagesProvider(stop=False), RecordingSink()
    with pytest.raises(ProviderUnavailable):
        async with service(native, EchoChatProvider(), sink).stream(request(stream=True), CTX) as stream:
            async for _ in stream:
                pass
    assert not sink.outcomes[0].completed
    assert native.closed_streams == 1


async def test_count_tokens_asks_a_native_deployment_and_costs_nothing() -> None:
    native, sink = FakeMessagesProvider(), RecordingSink()
    counted = await service(native, EchoChatProvider(), sink).count_tokens(
        CountTokensRequest.model_validate({"model": "claude", "messages": [{"role": "user", "content": "hi"}]}), CTX
    )
    assert counted.input_tokens == 42
    assert sink.outcomes[0].info.kind == "messages" and sink.outcomes[0].cost == 0.0


async def test_count_tokens_on_a_translated_deployment_is_the_estimate() -> None:
    sink = RecordingSink()
    counted = await service(FakeMessagesProvider(), EchoChatProvider(), sink).count_tokens(
        CountTokensRequest.model_validate({"model": "gpt", "messages": [{"role": "user", "content": "one two"}]}), CTX
    )
    assert counted.input_tokens > 0


THINKING = {"type": "enabled", "budget_tokens": 8000}


async def test_thinking_is_left_out_for_a_translated_model_the_catalog_knows_does_not_reason() -> None:
    # Claude Code asks for thinking on every request; gpt-4o answers 400 to reasoning_effort
    echo = EchoChatProvider()
    catalog = FakeModelCatalog({"echo/gpt-up": ModelInfo(name="gpt-up")})
    await service(FakeMessagesProvider(), echo, RecordingSink(), catalog).create(
        request(model="gpt", thinking=THINKING), CTX
    )
    assert echo.calls[0].request.reasoning_effort is None


async def test_thinking_becomes_reasoning_effort_for_a_translated_model_that_reasons() -> None:
    echo = EchoChatProvider()
    catalog = FakeModelCatalog({"echo/gpt-up": ModelInfo(name="gpt-up", capabilities=frozenset({"reasoning"}))})
    await service(FakeMessagesProvider(), echo, RecordingSink(), catalog).create(
        request(model="gpt", thinking=THINKING), CTX
    )
    assert echo.calls[0].request.reasoning_effort is not None
