"""OpenAIProvider's completions, images and audio over a fake upstream on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import orjson
import pytest

from switchboard.adapters.outbound.providers.openai import OpenAIProvider
from switchboard.domain.audio import AudioFile, SpeechRequest, TranscriptionRequest
from switchboard.domain.completions import CompletionRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import ProviderUnavailable, RateLimited
from switchboard.domain.images import ImageRequest
from switchboard.domain.ports.endpoints import CompletionCall, ImageCall, SpeechCall, TranscriptionCall
from tests.support.openai_media_wire import form_parts
from tests.support.upstream import RecordingUpstream, StreamCounter, TrackedStream

FIXTURES = Path(__file__).parent / "fixtures"
DEPLOYMENT = Deployment(
    id="d1",
    model_name="m",
    provider="openai",
    model="up-model",
    api_base="https://api.openai.test/v1",
    api_key="sk-test-key-123456",
)


def provider_for(
    handler: Callable[[httpx.Request, StreamCounter], httpx.Response],
) -> tuple[OpenAIProvider, RecordingUpstream]:
    upstream = RecordingUpstream(handler)
    return OpenAIProvider(upstream.transport(), environ={}), upstream


async def test_a_completion_goes_to_the_completions_path() -> None:
    body = (FIXTURES / "completion.json").read_bytes()
    provider, upstream = provider_for(lambda request, counter: httpx.Response(200, content=body))
    call = CompletionCall(CompletionRequest(model="m", prompt="Once upon"), DEPLOYMENT)
    response = await provider.complete_text(call)
    assert str(upstream.requests[0].url) == "https://api.openai.test/v1/completions"
    assert upstream.requests[0].headers["authorization"] == "Bearer sk-test-key-123456"
    assert response.text.startswith(" a time")


def split_once(data: bytes, at: int) -> list[bytes]:
    return [piece for piece in (data[:at], data[at:]) if piece]


async def test_a_completion_stream_reads_the_same_whatever_the_byte_boundaries() -> None:
    recorded = (FIXTURES / "completion_stream.sse").read_bytes()
    splits = iter(range(len(recorded) + 1))
    provider, upstream = provider_for(
        lambda request, counter: httpx.Response(200, stream=TrackedStream(split_once(recorded, next(splits)), counter))
    )
    for at in range(len(recorded) + 1):  # one request per split, in order, over one kept-alive connection
        call = CompletionCall(CompletionRequest(model="m", prompt="Once upon", stream=True), DEPLOYMENT)
        async with provider.stream_text(call) as chunks:
            received = [c async for c in chunks]
        assert "".join(c.text for c in received) == " a time,", at
        assert received[-1].usage is not None and received[-1].usage.total_tokens == 6
        assert upstream.counter.open == 0


async def test_a_completion_stream_cut_before_its_end_is_unavailable() -> None:
    recorded = (FIXTURES / "completion_stream.sse").read_bytes()
    cut = recorded.split(b"\n\n")[0] + b"\n\n"
    provider, upstream = provider_for(
        lambda request, counter: httpx.Response(200, stream=TrackedStream([cut], counter))
    )
    call = CompletionCall(CompletionRequest(model="m", prompt="x", stream=True), DEPLOYMENT)
    with pytest.raises(ProviderUnavailable):
        async with provider.stream_text(call) as chunks:
            async for _ in chunks:
                pass
    assert upstream.counter.open == 0


async def test_images_are_posted_as_json() -> None:
    body = (FIXTURES / "image_url.json").read_bytes()
    provider, upstream = provider_for(lambda request, counter: httpx.Response(200, content=body))
    call = ImageCall(ImageRequest(model="m", prompt="a lighthouse", size="1024x1024"), DEPLOYMENT)
    response = await provider.generate_images(call)
    sent = upstream.requests[0]
    assert str(sent.url) == "https://api.openai.test/v1/images/generations"
    assert orjson.loads(sent.content) == {"model": "up-model", "prompt": "a lighthouse", "size": "1024x1024"}
    assert response.data[0].revised_prompt


async def test_a_transcription_is_uploaded_as_multipart_with_the_key() -> None:
    body = (FIXTURES / "transcription.json").read_bytes()
    provider, upstream = provider_for(
        lambda request, counter: httpx.Response(200, content=body, headers={"content-type": "application/json"})
    )
    audio = AudioFile(filename="talk.mp3", content=b"ID3\x00\xffaudio", content_type="audio/mpeg")
    request = TranscriptionRequest(file=audio, model="m", language="en", timestamp_granularities=["word"])
    transcription = await provider.transcribe(TranscriptionCall(request, DEPLOYMENT))
    sent = upstream.requests[0]
    assert str(sent.url) == "https://api.openai.test/v1/audio/transcriptions"
    assert sent.headers["authorization"] == "Bearer sk-test-key-123456"
    fields, files = form_parts(sent.content, sent.headers["content-type"])
    assert fields == {"model": ["up-model"], "language": ["en"], "timestamp_granularities[]": ["word"]}
    assert files["file"] == ("talk.mp3", b"ID3\x00\xffaudio", "audio/mpeg")
    assert transcription.text == "Hello, and welcome to the show."


async def test_speech_streams_the_upstream_audio_as_it_comes() -> None:
    pieces = [b"\xff\xfb\x90\x64one", b"two", b"three"]
    provider, upstream = provider_for(
        lambda request, counter: httpx.Response(
            200, stream=TrackedStream(pieces, counter), headers={"content-type": "audio/mpeg"}
        )
    )
    call = SpeechCall(SpeechRequest(model="m", input="Hello", voice="alloy"), DEPLOYMENT)
    async with provider.speak(call) as audio:
        received = [piece async for piece in audio.chunks]
    assert received == pieces
    assert audio.content_type == "audio/mpeg"
    assert str(upstream.requests[0].url) == "https://api.openai.test/v1/audio/speech"
    assert upstream.counter.open == 0


async def test_speech_refused_upstream_raises_before_any_audio() -> None:
    def refuse(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        error = {"error": {"message": "slow down", "type": "requests", "code": "rate_limit_exceeded"}}
        return httpx.Response(429, json=error, headers={"retry-after": "2"})

    provider, _ = provider_for(refuse)
    call = SpeechCall(SpeechRequest(model="m", input="Hello", voice="alloy"), DEPLOYMENT)
    with pytest.raises(RateLimited) as caught:
        async with provider.speak(call):
            pass
    assert caught.value.retry_after == 2
