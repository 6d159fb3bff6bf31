"""The media contract: every adapter serving completions, images, transcriptions or speech,
fed the same upstream behaviour, answers the same. Capabilities say which endpoints a provider
has; the kit never branches on the provider."""

from __future__ import annotations

import base64

import pytest

from switchboard.domain.audio import AudioFile, SpeechRequest, TranscriptionRequest
from switchboard.domain.completions import CompletionRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.endpoints import Endpoint
from switchboard.domain.errors import AuthenticationError, ProviderUnavailable, RateLimited, SwitchboardError
from switchboard.domain.images import ImageRequest
from switchboard.domain.ports.endpoints import (
    CompletionCall,
    CompletionProvider,
    ImageCall,
    ImageProvider,
    SpeechCall,
    SpeechProvider,
    TranscriptionCall,
    TranscriptionProvider,
)
from tests.contract.providers.media_harness import MEDIA_HARNESSES, MediaHarness, MediaScenario
from tests.contract.providers.scenario import ErrorKind

ERRORS: dict[ErrorKind, type[SwitchboardError]] = {
    "rate_limited": RateLimited,
    "auth": AuthenticationError,
    "server_error": ProviderUnavailable,
}


def having(capability: Endpoint) -> pytest.MarkDecorator:
    chosen = [h for h in MEDIA_HARNESSES if capability in h.capabilities]
    return pytest.mark.parametrize("harness", chosen, ids=lambda h: h.name, indirect=True)


@pytest.fixture
def harness(request: pytest.FixtureRequest) -> MediaHarness:
    make: type[MediaHarness] = request.param
    return make()


def completion_call(
    harness: MediaHarness, scenario: MediaScenario, **body: object
) -> tuple[CompletionProvider, CompletionCall]:
    adapters, deployment = harness.build(scenario)
    assert adapters.completions is not None
    request = CompletionRequest.model_validate({"model": "m", "prompt": "Say hello", **body})
    return adapters.completions, CompletionCall(request=request, deployment=deployment)


def image_provider(harness: MediaHarness, scenario: MediaScenario) -> tuple[ImageProvider, Deployment]:
    adapters, deployment = harness.build(scenario)
    assert adapters.images is not None
    return adapters.images, deployment


def transcription_call(
    harness: MediaHarness, scenario: MediaScenario, **body: object
) -> tuple[TranscriptionProvider, TranscriptionCall]:
    adapters, deployment = harness.build(scenario)
    assert adapters.transcriptions is not None
    audio = AudioFile(filename="hello.mp3", content=b"ID3-audio", content_type="audio/mpeg")
    request = TranscriptionRequest.model_validate({"model": "m", "file": audio, **body})
    return adapters.transcriptions, TranscriptionCall(request=request, deployment=deployment)


def speech_call(harness: MediaHarness, scenario: MediaScenario) -> tuple[SpeechProvider, SpeechCall]:
    adapters, deployment = harness.build(scenario)
    assert adapters.speech is not None
    request = SpeechRequest(model="m", input="Hello there", voice="alloy", response_format="mp3")
    return adapters.speech, SpeechCall(request=request, deployment=deployment)


@having(Endpoint.COMPLETIONS)
async def test_a_completion_returns_the_text_and_usage(harness: MediaHarness) -> None:
    provider, call = completion_call(harness, MediaScenario(text="Hello from the upstream."))
    response = await provider.complete_text(call)
    assert response.text == "Hello from the upstream."
    assert response.choices[0].finish_reason == "stop"
    assert response.usage is not None and response.usage.total_tokens > 0


@having(Endpoint.COMPLETIONS)
async def test_a_streamed_completion_joins_to_the_text_and_ends_with_usage(harness: MediaHarness) -> None:
    provider, call = completion_call(harness, MediaScenario(text="One two three four"), stream=True)
    async with provider.stream_text(call) as chunks:
        received = [chunk async for chunk in chunks]
    assert "".join(c.text for c in received) == "One two three four"
    assert any(choice.finish_reason == "stop" for c in received for choice in c.choices)
    assert received[-1].usage is not None and not received[-1].choices
    assert harness.open_streams() == 0


@having(Endpoint.COMPLETIONS)
async def test_leaving_a_completion_stream_early_closes_the_upstream(harness: MediaHarness) -> None:
    provider, call = completion_call(harness, MediaScenario(text="a b c d e f"), stream=True)
    async with provider.stream_text(call) as chunks:
        async for _ in chunks:
            break
    assert harness.open_streams() == 0


@having(Endpoint.IMAGES)
async def test_images_come_back_as_base64_when_asked(harness: MediaHarness) -> None:
    provider, deployment = image_provider(harness, MediaScenario())
    request = ImageRequest(model="m", prompt="a cat", n=2, response_format="b64_json")
    response = await provider.generate_images(ImageCall(request=request, deployment=deployment))
    assert len(response.data) == 2
    images = [item.b64_json for item in response.data]
    assert all(image is not None and base64.b64decode(image).startswith(b"\x89PNG") for image in images)


@having(Endpoint.TRANSCRIPTIONS)
async def test_a_json_transcription_carries_the_text(harness: MediaHarness) -> None:
    provider, call = transcription_call(harness, MediaScenario(text="Hello there"))
    transcription = await provider.transcribe(call)
    assert transcription.text == "Hello there"
    assert not transcription.is_plain_text


@having(Endpoint.TRANSCRIPTIONS)
@pytest.mark.parametrize("fmt", ["text", "srt", "vtt"])
async def test_a_plain_text_transcription_is_the_whole_document(harness: MediaHarness, fmt: str) -> None:
    provider, call = transcription_call(harness, MediaScenario(text="Hello there"), response_format=fmt)
    transcription = await provider.transcribe(call)
    assert transcription.is_plain_text
    assert "Hello there" in transcription.text
    assert transcription.text.startswith("WEBVTT") == (fmt == "vtt")


@having(Endpoint.TRANSCRIPTIONS)
async def test_a_verbose_transcription_has_words_when_asked(harness: MediaHarness) -> None:
    provider, call = transcription_call(
        harness,
        MediaScenario(text="Hello there"),
        response_format="verbose_json",
        timestamp_granularities=["word"],
    )
    transcription = await provider.transcribe(call)
    assert [w["word"] for w in transcription.words or []] == ["Hello", "there"]
    assert transcription.duration and transcription.duration > 0


@having(Endpoint.SPEECH)
async def test_speech_streams_audio_with_its_content_type(harness: MediaHarness) -> None:
    provider, call = speech_call(harness, MediaScenario())
    async with provider.speak(call) as audio:
        content = b"".join([piece async for piece in audio.chunks])
    assert audio.content_type == "audio/mpeg"
    assert content.startswith(b"\xff\xfb")  # an MPEG audio frame
    assert harness.open_streams() == 0


@having(Endpoint.SPEECH)
async def test_leaving_speech_early_closes_the_upstream(harness: MediaHarness) -> None:
    provider, call = speech_call(harness, MediaScenario())
    async with provider.speak(call) as audio:
        async for _ in audio.chunks:
            break
    assert harness.open_streams() == 0


@having(Endpoint.COMPLETIONS)
@pytest.mark.parametrize("kind", sorted(ERRORS))
async def test_completion_errors_become_domain_errors(harness: MediaHarness, kind: ErrorKind) -> None:
    provider, call = completion_call(harness, MediaScenario(error=kind))
    with pytest.raises(ERRORS[kind]) as caught:
        await provider.complete_text(call)
    assert caught.value.provider == harness.name


@having(Endpoint.IMAGES)
async def test_image_rate_limits_carry_retry_after(harness: MediaHarness) -> None:
    provider, deployment = image_provider(harness, MediaScenario(error="rate_limited", retry_after=7))
    call = ImageCall(request=ImageRequest(model="m", prompt="a cat"), deployment=deployment)
    with pytest.raises(RateLimited) as caught:
        await provider.generate_images(call)
    assert caught.value.retry_after == 7


@having(Endpoint.TRANSCRIPTIONS)
@pytest.mark.parametrize("kind", sorted(ERRORS))
async def test_transcription_errors_become_domain_errors(harness: MediaHarness, kind: ErrorKind) -> None:
    provider, call = transcription_call(harness, MediaScenario(error=kind))
    with pytest.raises(ERRORS[kind]) as caught:
        await provider.transcribe(call)
    assert caught.value.provider == harness.name


@having(Endpoint.SPEECH)
@pytest.mark.parametrize("kind", sorted(ERRORS))
async def test_speech_that_fails_upstream_raises_on_enter(harness: MediaHarness, kind: ErrorKind) -> None:
    provider, call = speech_call(harness, MediaScenario(error=kind))
    with pytest.raises(ERRORS[kind]):
        async with provider.speak(call):
            pass
    assert harness.open_streams() == 0
