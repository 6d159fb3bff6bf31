from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.registry import ProviderRegistry
from switchboard.application.call_path import CallPath
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.media import ImageService, SpeechService, TranscriptionService
from switchboard.application.router import Router
from switchboard.domain.audio import AudioFile, SpeechRequest, TranscriptionRequest
from switchboard.domain.call_options import CallDefaults
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest, Timeout, UnsupportedParameter
from switchboard.domain.images import ImageRequest
from tests.fakes import FakeClock, FakeRandom
from tests.fakes.media_providers import EchoChatProvider, FakeAdapter, FakeMediaProvider, registry_serving

CTX = CallContext(request_id="r1")


def parts(
    adapter: FakeAdapter, *, default_timeout: float = 600.0, **deployment: object
) -> tuple[CallPath, ProviderRegistry]:
    directory = DeploymentDirectory(
        [Deployment(id="d1", model_name="m", provider="up", model="up-model", **deployment)]
    )
    registry = registry_serving("up", adapter)
    path = CallPath(
        Router(directory, FakeRandom(), FakeClock()), FakeClock(), defaults=CallDefaults(timeout=default_timeout)
    )
    return path, registry


async def test_images_come_from_the_deployment_serving_the_model() -> None:
    adapter = FakeMediaProvider()
    response = await ImageService(*parts(adapter)).generate(ImageRequest(model="m", prompt="cat", n=2), CTX)
    assert len(response.data) == 2
    assert response.route is not None and response.route.deployment_id == "d1"
    assert adapter.calls[0].deployment.model == "up-model"


async def test_a_provider_without_images_is_a_bad_request() -> None:
    with pytest.raises(BadRequest) as caught:
        await ImageService(*parts(EchoChatProvider())).generate(ImageRequest(model="m", prompt="cat"), CTX)
    assert "image generation" in caught.value.message


async def test_streamed_images_are_refused() -> None:
    with pytest.raises(UnsupportedParameter):
        await ImageService(*parts(FakeMediaProvider())).generate(ImageRequest(model="m", prompt="c", stream=True), CTX)


async def test_slow_image_generation_times_out() -> None:
    service = ImageService(*parts(FakeMediaProvider(delay=1.0), default_timeout=0.01))
    with pytest.raises(Timeout):
        await service.generate(ImageRequest(model="m", prompt="cat"), CTX)


async def test_a_deployment_timeout_wins_over_the_default() -> None:
    service = ImageService(*parts(FakeMediaProvider(delay=1.0), default_timeout=600, timeout=0.01))
    with pytest.raises(Timeout):
        await service.generate(ImageRequest(model="m", prompt="cat"), CTX)


async def test_a_transcription_keeps_its_format_and_route() -> None:
    request = TranscriptionRequest(file=AudioFile(content=b"abcd"), model="m", response_format="srt")
    transcription = await TranscriptionService(*parts(FakeMediaProvider())).transcribe(request, CTX)
    assert transcription.text == "heard 4 bytes"
    assert transcription.is_plain_text
    assert transcription.route is not None and transcription.route.model_group == "m"


async def test_streamed_transcriptions_are_refused() -> None:
    request = TranscriptionRequest(file=AudioFile(content=b"a"), model="m", stream=True)
    with pytest.raises(UnsupportedParameter):
        await TranscriptionService(*parts(FakeMediaProvider())).transcribe(request, CTX)


async def test_speech_streams_and_closes_the_upstream() -> None:
    adapter = FakeMediaProvider()
    request = SpeechRequest(model="m", input="hello there", voice="alloy")
    async with SpeechService(*parts(adapter)).speak(request, CTX) as audio:
        content = b"".join([piece async for piece in audio.chunks])
        assert audio.route is not None and audio.route.deployment_id == "d1"
    assert content == b"hellothere"
    assert audio.content_type == "audio/mpeg"
    assert adapter.closed_streams == 1


async def test_speech_that_does_not_start_in_time_times_out() -> None:
    service = SpeechService(*parts(FakeMediaProvider(delay=1.0), default_timeout=0.01))
    with pytest.raises(Timeout):
        async with service.speak(SpeechRequest(model="m", input="hi", voice="alloy"), CTX):
            pass


async def test_speech_as_server_sent_events_is_refused() -> None:
    request = SpeechRequest(model="m", input="hi", voice="alloy", stream_format="sse")
    with pytest.raises(UnsupportedParameter) as caught:
        async with SpeechService(*parts(FakeMediaProvider())).speak(request, CTX):
            pass
    assert caught.value.param == "stream_format"
