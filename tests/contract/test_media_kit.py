"""The media contract: every adapter serving completions, images, transcriptions or speech,
fed the same upstream behaviour, answers the same. Capabilities say which endpoints a provider
has; the kit never branches on the provider."""

from __future__ import annotations

import base64

import pytest

from switchboard.domain.audio import AudioFile, SpeechRequest, TranscriptionRequest
from switchboard.domain.completions import CompletionRequest
from switchboard.domain.errors import AuthenticationError, ProviderUnavailable, RateLimited, SwitchboardError
from switchboard.domain.images import ImageRequest
from switchboard.domain.ports.endpoints import CompletionCall, ImageCall, SpeechCall, TranscriptionCall
from tests.contract.providers.media_harness import MEDIA_HARNESSES, MediaHarness, MediaScenario

ERRORS: dict[str, type[SwitchboardError]] = {
    "rate_limited": RateLimited,
    "auth": AuthenticationError,
    "server_error": ProviderUnavailable,
}


def having(capability: str) -> pytest.MarkDecorator:
    chosen = [h for h in MEDIA_HARNESSES if capability in h.capabilities]  # type: ignore[attr-defined]
    return pytest.mark.parametrize("harness", chosen, ids=lambda h: h.name, indirect=True)


@pytest.fixture
def harness(request: pytest.FixtureRequest) -> MediaHarness:
    return request.param()  # type: ignore[no-any-return]


def completion_call(harness: MediaHarness, scenario: MediaScenario, **body: object) -> tuple[object, CompletionCall]:
    provider, deployment = harness.build(scenario)
    request = CompletionRequest.model_validate({"model": "m", "prompt": "Say hello", **body})
    return provider, CompletionCall(request=request, deployment=deployment)


def transcription_call(
    harness: MediaHarness, scenario: MediaScenario, **body: object
) -> tuple[object, TranscriptionCall]:
    provider, deployment = harness.build(scenario)
    audio = AudioFile(filename="hello.mp3", content=b"ID3-audio", content_type="audio/mpeg")
    request = TranscriptionRequest.model_validate({"model": "m", "file": audio, **body})
    return provider, TranscriptionCall(request=request, deployment=deployment)


def speech_call(harness: MediaHarness, scenario: MediaScenario) -> tuple[object, SpeechCall]:
    provider, deployment = harness.build(scenario)
    request = SpeechRequest(model="m", input="Hello there", voice="alloy", response_format="mp3")
    return provider, SpeechCall(request=request, deployment=deployment)


@having("completions")
async def test_a_completion_returns_the_text_and_usage(harness: MediaHarness) -> None:
    provider, call = completion_call(harness, MediaScenario(text="Hello from the upstream."))
    response = await provider.complete_text(call)  # type: ignore[attr-defined]
    assert response.text == "Hello from the upstream."
    assert response.choices[0].finish_reason == "stop"
    assert response.usage is not None and response.usage.total_tokens > 0


@having("completions")
async def test_a_streamed_completion_joins_to_the_text_and_ends_with_usage(harness: MediaHarness) -> None:
    provider, call = completion_call(harness, MediaScenario(text="One two three four"), stream=True)
    async with provider.stream_text(call) as chunks:  # type: ignore[attr-defined]
        received = [chunk async for chunk in chunks]
    assert "".join(c.text for c in received) == "One two three four"
    assert any(choice.finish_reason == "stop" for c in received for choice in c.choices)
    assert received[-1].usage is not None and not received[-1].choices
    assert harness.open_streams() == 0


@having("completions")
async def test_leaving_a_completion_stream_early_closes_the_upstream(harness: MediaHarness) -> None:
    provider, call = completion_call(harness, MediaScenario(text="a b c d e f"), stream=True)
    async with provider.stream_text(call) as chunks:  # type: ignore[attr-defined]
        async for _ in chunks:
            break
    assert harness.open_streams() == 0


@having("images")
async def test_images_come_back_as_base64_when_asked(harness: MediaHarness) -> None:
    provider, deployment = harness.build(MediaScenario())
    request = ImageRequest(model="m", prompt="a cat", n=2, response_format="b64_json")
    response = await provider.generate_images(ImageCall(request=request, deployment=deployment))
    assert len(response.data) == 2
    assert all(base64.b64decode(item.b64_json).startswith(b"\x89PNG") for item in response.data)


@having("transcriptions")
async def test_a_json_transcription_carries_the_text(harness: MediaHarness) -> None:
    provider, call = transcription_call(harness, MediaScenario(text="Hello there"))
    transcription = await provider.transcribe(call)  # type: ignore[attr-defined]
    assert transcription.text == "Hello there"
    assert not transcription.is_plain_text


@having("transcriptions")
@pytest.mark.parametrize("fmt", ["text", "srt", "vtt"])
async def test_a_plain_text_transcription_is_the_whole_document(harness: MediaHarness, fmt: str) -> None:
    provider, call = transcription_call(harness, MediaScenario(text="Hello there"), response_format=fmt)
    transcription = await provider.transcribe(call)  # type: ignore[attr-defined]
    assert transcription.is_plain_text
    assert "Hello there" in transcription.text
    assert transcription.text.startswith("WEBVTT") == (fmt == "vtt")


@having("transcriptions")
async def test_a_verbose_transcription_has_words_when_asked(harness: MediaHarness) -> None:
    provider, call = transcription_call(
        harness,
        MediaScenario(text="Hello there"),
        response_format="verbose_json",
        timestamp_granularities=["word"],
    )
    transcription = await provider.transcribe(call)  # type: ignore[attr-defined]
    assert [w["word"] for w in transcription.words or []] == ["Hello", "there"]
    assert transcription.duration and transcription.duration > 0


@having("speech")
async def test_speech_streams_audio_with_its_content_type(harness: MediaHarness) -> None:
    provider, call = speech_call(harness, MediaScenario())
    async with provider.speak(call) as audio:  # type: ignore[attr-defined]
        content = b"".join([piece async for piece in audio.chunks])
    assert audio.content_type == "audio/mpeg"
    assert content.startswith(b"\xff\xfb")  # an MPEG audio frame
    assert harness.open_streams() == 0


@having("speech")
async def test_leaving_speech_early_closes_the_upstream(harness: MediaHarness) -> None:
    provider, call = speech_call(harness, MediaScenario())
    async with provider.speak(call) as audio:  # type: ignore[attr-defined]
        async for _ in audio.chunks:
            break
    assert harness.open_streams() == 0


@having("completions")
@pytest.mark.parametrize("kind", sorted(ERRORS))
async def test_completion_errors_become_domain_errors(harness: MediaHarness, kind: str) -> None:
    provider, call = completion_call(harness, MediaScenario(error=kind))  # type: ignore[arg-type]
    with pytest.raises(ERRORS[kind]) as caught:
        await provider.complete_text(call)  # type: ignore[attr-defined]
    assert caught.value.provider == harness.name


@having("images")
async def test_image_rate_limits_carry_retry_after(harness: MediaHarness) -> None:
    provider, deployment = harness.build(MediaScenario(error="rate_limited", retry_after=7))
    call = ImageCall(request=ImageRequest(model="m", prompt="a cat"), deployment=deployment)
    with pytest.raises(RateLimited) as caught:
        await provider.generate_images(call)
    assert caught.value.retry_after == 7


@having("transcriptions")
@pytest.mark.parametrize("kind", sorted(ERRORS))
async def test_transcription_errors_become_domain_errors(harness: MediaHarness, kind: str) -> None:
    provider, call = transcription_call(harness, MediaScenario(error=kind))  # type: ignore[arg-type]
    with pytest.raises(ERRORS[kind]) as caught:
        await provider.transcribe(call)  # type: ignore[attr-defined]
    assert caught.value.provider == harness.name


@having("speech")
@pytest.mark.parametrize("kind", sorted(ERRORS))
async def test_speech_that_fails_upstream_raises_on_enter(harness: MediaHarness, kind: str) -> None:
    provider, call = speech_call(harness, MediaScenario(error=kind))  # type: ignore[arg-type]
    with pytest.raises(ERRORS[kind]):
        async with provider.speak(call):  # type: ignore[attr-defined]
            pass
    assert harness.open_streams() == 0
