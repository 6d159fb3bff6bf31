"""OpenAI's completions, images and audio: bodies checked against the SDK's parameter types,
answers read from recorded fixtures that the SDK's response types accept."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from openai.types import Completion, ImagesResponse
from openai.types.audio import Transcription as SdkTranscription
from openai.types.audio import TranscriptionVerbose
from openai.types.audio.speech_create_params import SpeechCreateParams
from openai.types.audio.transcription_create_params import TranscriptionCreateParamsNonStreaming
from openai.types.completion_create_params import (
    CompletionCreateParamsNonStreaming,
    CompletionCreateParamsStreaming,
)
from openai.types.image_generate_params import ImageGenerateParamsNonStreaming

from switchboard.adapters.outbound.providers.openai.endpoints import (
    completion_body,
    completion_chunk,
    completion_response,
    image_body,
    image_response,
    speech_body,
    speech_content_type,
    transcription_form,
    transcription_response,
)
from switchboard.domain.audio import AudioFile, SpeechRequest, TranscriptionRequest
from switchboard.domain.completions import CompletionRequest
from switchboard.domain.errors import UpstreamProtocolError
from switchboard.domain.images import ImageRequest
from tests.support.sdk_schema import validate_params

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_a_completion_body_is_what_the_sdk_sends() -> None:
    request = CompletionRequest.model_validate(
        {
            "model": "group",
            "prompt": ["a", "b"],
            "max_tokens": 5,
            "logprobs": 2,
            "echo": True,
            "mock_response": "x",
        }
    )
    body = completion_body(request, "gpt-3.5-turbo-instruct", stream=False, defaults={})
    validate_params(CompletionCreateParamsNonStreaming, body)
    assert body["model"] == "gpt-3.5-turbo-instruct"
    assert "mock_response" not in body


def test_a_streamed_completion_always_asks_for_usage() -> None:
    request = CompletionRequest.model_validate({"model": "m", "prompt": "a", "stream": True})
    body = completion_body(request, "gpt-3.5-turbo-instruct", stream=True, defaults={})
    validate_params(CompletionCreateParamsStreaming, body)
    assert body["stream_options"] == {"include_usage": True}


def test_deployment_defaults_fill_only_what_the_caller_left_out() -> None:
    request = CompletionRequest.model_validate({"model": "m", "prompt": "a", "temperature": 0.9})
    body = completion_body(
        request, "x", stream=False, defaults={"temperature": 0.1, "max_tokens": 16, "organization": "org"}
    )
    assert (body["temperature"], body["max_tokens"]) == (0.9, 16)
    assert "organization" not in body


def test_a_null_prompt_is_sent_as_null() -> None:
    body = completion_body(CompletionRequest(model="m", prompt=None), "x", stream=False, defaults={})
    assert body["prompt"] is None


def test_a_recorded_completion_is_read_whole() -> None:
    raw = fixture("completion.json")
    Completion.model_validate_json(raw)
    response = completion_response(raw, "openai")
    assert response.text == " a time, there was a lighthouse."
    assert response.choices[0].finish_reason == "length"
    assert response.choices[0].logprobs is not None and response.choices[0].logprobs.text_offset == [9, 11]
    assert response.usage is not None and response.usage.total_tokens == 11


def test_a_completion_we_cannot_read_is_a_protocol_error() -> None:
    with pytest.raises(UpstreamProtocolError):
        completion_response(b'{"id": "x"}', "openai")


def test_a_recorded_stream_chunk_is_read() -> None:
    first = fixture("completion_stream.sse").split(b"\n\n")[0].removeprefix(b"data: ").decode()
    chunk = completion_chunk(first, "openai")
    assert chunk.text == " a"
    assert chunk.choices[0].finish_reason is None


def test_an_image_body_is_what_the_sdk_sends() -> None:
    request = ImageRequest(model="group", prompt="a lighthouse", n=1, size="1024x1024", quality="hd", style="vivid")
    body = image_body(request, "dall-e-3")
    validate_params(ImageGenerateParamsNonStreaming, body)
    assert body["model"] == "dall-e-3"


@pytest.mark.parametrize("name", ["image_url.json", "image_b64.json"])
def test_recorded_image_answers_are_read(name: str) -> None:
    raw = fixture(name)
    ImagesResponse.model_validate_json(raw)
    response = image_response(raw, "openai")
    assert len(response.data) == 1
    assert response.data[0].url or response.data[0].b64_json


def test_the_gpt_image_usage_is_kept() -> None:
    response = image_response(fixture("image_b64.json"), "openai")
    assert response.usage is not None and response.usage.total_tokens == 284


def test_transcription_fields_are_what_the_sdk_sends() -> None:
    request = TranscriptionRequest.model_validate(
        {
            "file": AudioFile(filename="talk.mp3", content=b"ID3", content_type="audio/mpeg"),
            "model": "group",
            "language": "en",
            "response_format": "verbose_json",
            "timestamp_granularities": ["word"],
            "temperature": 0.2,
        }
    )
    fields, files = transcription_form(request, "whisper-1")
    validate_params(TranscriptionCreateParamsNonStreaming, {**fields, "file": files["file"][1]})
    assert files == {"file": ("talk.mp3", b"ID3", "audio/mpeg")}
    assert fields["model"] == "whisper-1"


def test_unknown_transcription_fields_are_forwarded_by_their_names() -> None:
    request = TranscriptionRequest.model_validate(
        {"file": AudioFile(content=b"x"), "model": "m", "include": ["logprobs"], "mock_response": "no"}
    )
    fields, _ = transcription_form(request, "gpt-4o-transcribe")
    assert fields["include"] == ["logprobs"]
    assert "mock_response" not in fields


def transcription_request(fmt: str) -> TranscriptionRequest:
    return TranscriptionRequest(file=AudioFile(content=b"x"), model="m", response_format=fmt)


def test_a_recorded_json_transcription_is_read_with_its_usage() -> None:
    raw = fixture("transcription.json")
    SdkTranscription.model_validate_json(raw)
    transcription = transcription_response(raw, transcription_request("json"), "openai")
    assert transcription.text == "Hello, and welcome to the show."
    assert transcription.usage is not None and transcription.usage["total_tokens"] == 23


def test_a_recorded_verbose_transcription_keeps_words_and_segments() -> None:
    raw = fixture("transcription_verbose.json")
    TranscriptionVerbose.model_validate_json(raw)
    transcription = transcription_response(raw, transcription_request("verbose_json"), "openai")
    assert [w["word"] for w in transcription.words or []] == ["Hello", "and", "welcome"]
    assert transcription.segments is not None and transcription.segments[0]["id"] == 0
    assert transcription.format == "verbose_json"


@pytest.mark.parametrize("fmt", ["text", "srt", "vtt"])
def test_a_plain_text_transcription_is_kept_whole(fmt: str) -> None:
    document = "1\n00:00:00,000 --> 00:00:01,000\nHello\n\n"
    transcription = transcription_response(document.encode(), transcription_request(fmt), "openai")
    assert transcription.text == document
    assert transcription.is_plain_text


def test_a_json_transcription_we_cannot_read_is_a_protocol_error() -> None:
    with pytest.raises(UpstreamProtocolError):
        transcription_response(b"Hello", transcription_request("json"), "openai")


def test_a_speech_body_is_what_the_sdk_sends() -> None:
    request = SpeechRequest(
        model="group", input="Hello", voice="alloy", response_format="wav", speed=1.5, instructions="calm"
    )
    body = speech_body(request, "gpt-4o-mini-tts")
    validate_params(SpeechCreateParams, body)
    assert orjson.loads(orjson.dumps(body))["model"] == "gpt-4o-mini-tts"


@pytest.mark.parametrize(
    ("upstream", "fmt", "expected"),
    [
        ("audio/mpeg", "mp3", "audio/mpeg"),
        (None, "opus", "audio/opus"),
        ("application/octet-stream", "wav", "audio/wav"),
        ("audio/flac", "flac", "audio/flac"),
    ],
)
def test_speech_keeps_the_upstream_audio_type_or_names_the_format(
    upstream: str | None, fmt: str, expected: str
) -> None:
    request = SpeechRequest(model="m", input="x", voice="alloy", response_format=fmt)
    assert speech_content_type(upstream, request) == expected
