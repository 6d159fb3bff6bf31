from __future__ import annotations

import pytest

from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.completions import CompletionService
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.router import Router
from switchboard.domain.completions import CompletionRequest
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest, Timeout, UnsupportedParameter
from switchboard.domain.usage import Usage
from tests.fakes import FakeClock, FakeRandom, FakeTokenCounter
from tests.fakes.media_providers import EchoChatProvider, FakeAdapter, FakeTextProvider, registry_serving

CTX = CallContext(request_id="r1")


def service(
    adapter: FakeAdapter,
    *,
    provider: str = "up",
    **deployment: object,
) -> CompletionService:
    directory = DeploymentDirectory(
        [Deployment(id="d1", model_name="m", provider=provider, model="up-model", **deployment)]
    )
    registry = registry_serving(provider, adapter)
    path = CallPath(Router(directory, FakeRandom(), FakeClock()), FakeClock())
    chat = ChatService(path, registry, FakeTokenCounter())
    return CompletionService(path, registry, chat, FakeTokenCounter())


def request(**body: object) -> CompletionRequest:
    return CompletionRequest.model_validate({"model": "m", "prompt": "Once upon", **body})


async def test_a_provider_with_native_completions_answers_them_itself() -> None:
    adapter = FakeTextProvider(usage=Usage.of(2, 3))
    response = await service(adapter).complete(request(), CTX)
    assert response.text == "native: Once upon"
    assert len(adapter.text_calls) == 1 and not adapter.calls
    assert response.route is not None and response.route.deployment_id == "d1"


async def test_a_chat_only_provider_answers_through_chat() -> None:
    adapter = EchoChatProvider(usage=Usage.of(2, 3))
    response = await service(adapter).complete(request(), CTX)
    assert response.text == "reply: Once upon"
    assert response.object == "text_completion"
    assert response.usage == Usage.of(2, 3)
    assert response.route is not None and response.route.provider == "up"


async def test_several_prompts_through_chat_make_one_call_each() -> None:
    adapter = EchoChatProvider()
    response = await service(adapter).complete(request(prompt=["a", "b"]), CTX)
    assert [c.text for c in response.choices] == ["reply: a", "reply: b"]
    assert len(adapter.calls) == 2


async def test_usage_is_estimated_when_the_native_provider_reports_none() -> None:
    response = await service(FakeTextProvider()).complete(request(prompt="one two"), CTX)
    assert response.usage == Usage.of(2, 3)  # fake counter: one token per word


async def test_a_parameter_chat_cannot_carry_is_refused_naming_it() -> None:
    with pytest.raises(UnsupportedParameter) as caught:
        await service(EchoChatProvider()).complete(request(suffix="The end."), CTX)
    assert caught.value.param == "suffix"
    assert caught.value.provider == "up"


async def test_drop_params_drops_what_chat_cannot_carry() -> None:
    response = await service(EchoChatProvider(), drop_params=True).complete(request(suffix="The end."), CTX)
    assert response.text == "reply: Once upon"


async def test_a_chat_parameter_the_provider_lacks_is_refused_by_chat() -> None:
    with pytest.raises(UnsupportedParameter) as caught:
        await service(EchoChatProvider()).complete(request(logprobs=2), CTX)
    assert caught.value.param == "logprobs"


async def test_a_native_completion_that_takes_too_long_times_out() -> None:
    slow = service(FakeTextProvider(delay=1.0), timeout=0.01)
    with pytest.raises(Timeout) as caught:
        await slow.complete(request(), CTX)
    assert caught.value.deployment == "d1"


async def test_a_native_stream_hides_the_usage_chunk_unless_asked() -> None:
    adapter = FakeTextProvider(usage=Usage.of(2, 3))
    async with service(adapter).stream(request(stream=True), CTX) as stream:
        chunks = [c async for c in stream]
    assert "".join(c.text for c in chunks) == "native: Once upon"
    assert all(c.usage is None for c in chunks)
    assert stream.usage == Usage.of(2, 3)
    assert adapter.closed_streams == 1


async def test_a_stream_through_chat_ends_with_usage_when_asked() -> None:
    adapter = EchoChatProvider(usage=Usage.of(2, 3))
    body = request(stream=True, stream_options={"include_usage": True})
    async with service(adapter).stream(body, CTX) as stream:
        chunks = [c async for c in stream]
    assert "".join(c.text for c in chunks) == "reply: Once upon "
    assert chunks[-1].usage == Usage.of(2, 3) and chunks[-1].choices == []
    assert any(ch.finish_reason == "stop" for c in chunks for ch in c.choices)
    assert all(c.object == "text_completion" for c in chunks)


async def test_a_stream_through_chat_gets_an_estimated_usage_when_the_provider_has_none() -> None:
    body = request(stream=True, stream_options={"include_usage": True})
    async with service(EchoChatProvider()).stream(body, CTX) as stream:
        chunks = [c async for c in stream]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 3


async def test_leaving_a_stream_through_chat_early_closes_the_upstream() -> None:
    adapter = EchoChatProvider()
    async with service(adapter).stream(request(stream=True), CTX) as stream:
        async for _ in stream:
            break
    assert adapter.closed_streams == 1


async def test_streaming_several_prompts_through_chat_is_refused() -> None:
    with pytest.raises(BadRequest) as caught:
        async with service(EchoChatProvider()).stream(request(prompt=["a", "b"], stream=True), CTX):
            pass
    assert caught.value.param == "prompt"
