"""The facade's completions, images, transcription and speech, on the built-in mock model."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from switchboard import AsyncClient, Client
from switchboard.adapters.inbound.sdk.client import AudioInput
from switchboard.domain.errors import BadRequest

CONFIG = {"model_list": [{"model_name": "m", "litellm_params": {"model": "mock/m", "mock_response": "Canned."}}]}


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(CONFIG) as blocking:
        yield blocking


@pytest.fixture
async def async_client() -> AsyncIterator[AsyncClient]:
    async with AsyncClient(CONFIG) as core:
        yield core


def test_complete_returns_a_text_completion(client: Client) -> None:
    response = client.complete("m", "Once upon")
    assert response.text == "Canned."
    assert response.route is not None and response.route.provider == "mock"


def test_a_streamed_completion_is_an_iterator_of_chunks(client: Client) -> None:
    assert "".join(chunk.text for chunk in client.complete("m", "Once upon", stream=True)) == "Canned."


async def test_the_async_stream_closes_when_left(async_client: AsyncClient) -> None:
    async with await async_client.complete("m", "x", stream=True) as stream:
        texts = [chunk.text async for chunk in stream]
    assert "".join(texts) == "Canned."
    assert stream.usage is not None


def test_image_returns_the_images(client: Client) -> None:
    response = client.image("m", "a lighthouse", n=2, response_format="b64_json")
    assert len(response.data) == 2 and response.data[0].b64_json


@pytest.mark.parametrize("kind", ["bytes", "path", "file", "tuple"])
def test_transcribe_takes_bytes_a_path_a_file_or_a_named_tuple(client: Client, tmp_path: Path, kind: str) -> None:
    audio = tmp_path / "talk.wav"
    audio.write_bytes(b"RIFF1234")
    inputs: dict[str, AudioInput] = {
        "bytes": b"RIFF1234",
        "path": audio,
        "file": io.BytesIO(b"RIFF1234"),
        "tuple": ("talk.wav", b"RIFF1234", "audio/wav"),
    }
    transcription = client.transcribe("m", inputs[kind])
    assert transcription.text == "Canned."


def test_transcribe_in_srt_gives_the_document(client: Client) -> None:
    transcription = client.transcribe("m", b"RIFF", response_format="srt")
    assert transcription.is_plain_text and transcription.text.startswith("1\n00:00:00,000 -->")


def test_speech_returns_the_whole_audio_and_its_type(client: Client) -> None:
    speech = client.speech("m", "Hello there", response_format="wav")
    assert speech.content_type == "audio/wav"
    assert speech.content.startswith(b"RIFF")


def test_bad_parameters_are_refused_with_the_field_named(client: Client) -> None:
    with pytest.raises(BadRequest) as caught:
        client.speech("m", "Hello", speed=10)
    assert caught.value.param == "speed"
