"""Every admitted call beyond chat is settled exactly once, as the kind of call it is."""

from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.registry import ProviderRegistry
from switchboard.application.chat import ChatService
from switchboard.application.completions import CompletionService
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.hooks import HookPipeline
from switchboard.application.media import ImageService, SpeechService, TranscriptionService
from switchboard.application.router import Router
from switchboard.domain.audio import AudioFile, SpeechRequest, TranscriptionRequest
from switchboard.domain.completions import CompletionRequest
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import ModelNotFound, RateLimited
from switchboard.domain.images import ImageRequest
from switchboard.domain.usage import Usage
from tests.fakes import FakeClock, FakeRandom, FakeTokenCounter
from tests.fakes.hooks import RecordingHook, RecordingSink
from tests.fakes.media_providers import (
    EchoChatProvider,
    FakeAdapter,
    FakeMediaProvider,
    FakeTextProvider,
    registry_serving,
)

CTX = CallContext(request_id="r1")


def wiring(
    adapter: FakeAdapter,
) -> tuple[Router, ProviderRegistry, FakeClock, HookPipeline, RecordingHook, RecordingSink]:
    directory = DeploymentDirectory([Deployment(id="d1", model_name="m", provider="up", model="up-model")])
    registry = registry_serving("up", adapter)
    hook, sink = RecordingHook(), RecordingSink()
    return Router(directory, FakeRandom(), FakeClock()), registry, FakeClock(), HookPipeline([hook], [sink]), hook, sink


async def test_an_image_call_is_settled_once_as_images() -> None:
    router, registry, clock, hooks, hook, sink = wiring(FakeMediaProvider())
    await ImageService(router, registry, clock, hooks).generate(ImageRequest(model="m", prompt="cat"), CTX)
    assert [o.info.kind for o in sink.outcomes] == ["images"]
    assert sink.outcomes[0].ok and sink.outcomes[0].deployment is not None
    assert len(hook.settled) == 1


async def test_a_transcription_refused_by_a_hook_never_reaches_the_provider() -> None:
    adapter = FakeMediaProvider()
    router, registry, clock, _, _, sink = wiring(adapter)
    refusing = HookPipeline([RecordingHook(refuse=RateLimited("slow down", retry_after=1))], [sink])
    request = TranscriptionRequest(file=AudioFile(content=b"x"), model="m")
    with pytest.raises(RateLimited):
        await TranscriptionService(router, registry, clock, refusing).transcribe(request, CTX)
    assert adapter.calls == []
    assert [o.info.kind for o in sink.outcomes] == ["transcriptions"] and not sink.outcomes[0].ok


async def test_an_unknown_model_is_settled_as_a_failure() -> None:
    router, registry, clock, hooks, _, sink = wiring(FakeMediaProvider())
    with pytest.raises(ModelNotFound):
        await ImageService(router, registry, clock, hooks).generate(ImageRequest(model="nope", prompt="x"), CTX)
    assert len(sink.outcomes) == 1 and isinstance(sink.outcomes[0].error, ModelNotFound)


async def test_speech_read_to_its_end_is_settled_completed_with_its_length() -> None:
    router, registry, clock, hooks, _, sink = wiring(FakeMediaProvider())
    service = SpeechService(router, registry, clock, hooks)
    async with service.speak(SpeechRequest(model="m", input="one two", voice="alloy"), CTX) as audio:
        assert sink.outcomes == []  # not before the audio is over
        [piece async for piece in audio.chunks]
    (outcome,) = sink.outcomes
    assert outcome.info.kind == "speech" and outcome.completed
    assert outcome.extra == {"characters": 7}


async def test_speech_left_early_is_settled_incomplete() -> None:
    adapter = FakeMediaProvider()
    router, registry, clock, hooks, _, sink = wiring(adapter)
    async with SpeechService(router, registry, clock, hooks).speak(
        SpeechRequest(model="m", input="one two three", voice="alloy"), CTX
    ) as audio:
        async for _ in audio.chunks:
            break
    assert len(sink.outcomes) == 1 and not sink.outcomes[0].completed
    assert adapter.closed_streams == 1


def completions(adapter: FakeAdapter) -> tuple[CompletionService, RecordingSink]:
    router, registry, clock, hooks, _, sink = wiring(adapter)
    chat = ChatService(router, registry, FakeTokenCounter(), clock, hooks)
    return CompletionService(router, registry, chat, FakeTokenCounter(), clock, hooks), sink


async def test_a_native_completion_is_settled_once_as_completions_with_its_usage() -> None:
    service, sink = completions(FakeTextProvider(usage=Usage.of(2, 3)))
    await service.complete(CompletionRequest(model="m", prompt="hi"), CTX)
    assert [(o.info.kind, o.usage) for o in sink.outcomes] == [("completions", Usage.of(2, 3))]


async def test_a_completion_through_chat_is_settled_once_as_chat() -> None:
    service, sink = completions(EchoChatProvider(usage=Usage.of(2, 3)))
    await service.complete(CompletionRequest(model="m", prompt="hi"), CTX)
    assert [o.info.kind for o in sink.outcomes] == ["chat"]


async def test_a_native_completion_stream_is_settled_when_it_closes() -> None:
    service, sink = completions(FakeTextProvider(usage=Usage.of(2, 3)))
    async with service.stream(CompletionRequest(model="m", prompt="hi", stream=True), CTX) as stream:
        [chunk async for chunk in stream]
        assert sink.outcomes == []
    (outcome,) = sink.outcomes
    assert outcome.info.kind == "completions" and outcome.completed and outcome.usage == Usage.of(2, 3)


async def test_a_completion_stream_through_chat_is_settled_once_as_chat() -> None:
    service, sink = completions(EchoChatProvider())
    async with service.stream(CompletionRequest(model="m", prompt="hi", stream=True), CTX) as stream:
        async for _ in stream:
            break
    assert [o.info.kind for o in sink.outcomes] == ["chat"]
    assert not sink.outcomes[0].completed
