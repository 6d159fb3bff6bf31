"""The media routes through the real app (mock provider), in process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from litestar.testing import AsyncTestClient
from openai.types import Completion, ImagesResponse
from openai.types.audio import TranscriptionVerbose

from switchboard.bootstrap.http import create_app

KEY = "sk-gateway-master"
CONFIG: dict[str, Any] = {
    "model_list": [
        {"model_name": "m", "litellm_params": {"model": "mock/m"}},
        {
            "model_name": "limited",
            "litellm_params": {"model": "mock/m", "mock_error": {"status": 429, "retry_after": 3}},
        },
    ],
    "general_settings": {"master_key": KEY, "max_request_size_mb": 0.01},
}
AUTH = {"authorization": f"Bearer {KEY}"}


@pytest.fixture
async def client() -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(create_app(CONFIG)) as test_client:
        yield test_client


def sse_events(text: str) -> list[str]:
    return [line.removeprefix("data: ") for line in text.split("\n\n") if line.startswith("data: ")]


async def test_a_completion_has_openais_shape(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/v1/completions", json={"model": "m", "prompt": "Once upon"}, headers=AUTH)
    assert response.status_code == 200
    body = response.json()
    Completion.model_validate(body)
    assert body["object"] == "text_completion"
    assert body["choices"][0]["text"].endswith("You wrote: Once upon")
    assert response.headers["x-switchboard-provider"] == "mock"


async def test_a_streamed_completion_is_sse_ending_in_done(client: AsyncTestClient[Any]) -> None:
    body = {"model": "m", "prompt": "hi", "stream": True, "stream_options": {"include_usage": True}}
    response = await client.post("/v1/completions", json=body, headers=AUTH)
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    assert events[-1] == "[DONE]"
    chunks = [orjson.loads(e) for e in events[:-1]]
    assert all(c["object"] == "text_completion" for c in chunks)
    assert "".join(ch["text"] for c in chunks for ch in c["choices"]).endswith("You wrote: hi")
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] > 0


async def test_a_streamed_completion_without_include_usage_has_no_usage_chunk(
    client: AsyncTestClient[Any],
) -> None:
    response = await client.post("/v1/completions", json={"model": "m", "prompt": "hi", "stream": True}, headers=AUTH)
    chunks = [orjson.loads(e) for e in sse_events(response.text)[:-1]]
    assert all("usage" not in c for c in chunks)


async def test_the_routes_answer_without_the_v1_prefix(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/completions", json={"model": "m", "prompt": "x"}, headers=AUTH)
    assert response.status_code == 200


async def test_images_have_openais_shape(client: AsyncTestClient[Any]) -> None:
    body = {"model": "m", "prompt": "a lighthouse", "n": 2, "response_format": "b64_json"}
    response = await client.post("/v1/images/generations", json=body, headers=AUTH)
    assert response.status_code == 200
    ImagesResponse.model_validate(response.json())
    assert len(response.json()["data"]) == 2


def upload(fields: dict[str, Any] | None = None, content: bytes = b"RIFF-audio") -> dict[str, Any]:
    return {"files": {"file": ("talk.wav", content, "audio/wav")}, "data": {"model": "m", **(fields or {})}}


async def test_a_transcription_upload_answers_json(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/v1/audio/transcriptions", headers=AUTH, **upload())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["text"] == "This is a mock transcription of talk.wav (10 bytes)."


async def test_a_verbose_transcription_has_the_words_asked_for(client: AsyncTestClient[Any]) -> None:
    fields = {"response_format": "verbose_json", "timestamp_granularities[]": ["word", "segment"]}
    response = await client.post("/v1/audio/transcriptions", headers=AUTH, **upload(fields))
    TranscriptionVerbose.model_validate(response.json())
    assert response.json()["words"] and response.json()["segments"]


@pytest.mark.parametrize(("fmt", "start"), [("text", "This is"), ("srt", "1\n00:00:00,000"), ("vtt", "WEBVTT")])
async def test_text_srt_and_vtt_transcripts_are_plain_text(client: AsyncTestClient[Any], fmt: str, start: str) -> None:
    response = await client.post("/v1/audio/transcriptions", headers=AUTH, **upload({"response_format": fmt}))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith(start)


async def test_an_upload_without_a_file_names_the_missing_field(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/v1/audio/transcriptions", headers=AUTH, files={"model": (None, "m")})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "file"


async def test_a_json_body_for_a_transcription_is_an_unsupported_media_type(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/v1/audio/transcriptions", headers=AUTH, json={"model": "m"})
    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["error"]["message"]


async def test_a_bad_form_value_names_the_field(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/v1/audio/transcriptions", headers=AUTH, **upload({"temperature": "hot"}))
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "temperature"


async def test_an_upload_over_the_body_limit_is_too_large(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/v1/audio/transcriptions", headers=AUTH, **upload(content=b"x" * 20_000))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


async def test_a_stranger_is_refused_before_the_upload_is_read(client: AsyncTestClient[Any]) -> None:
    padded = "-" * 5000
    headers = {"authorization": "Bearer sk-wrong", "content-type": f"multipart/form-data; boundary={padded}"}
    response = await client.post("/v1/audio/transcriptions", headers=headers, content=b"--" + padded.encode())
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "authentication_error"


async def test_a_malformed_multipart_body_is_a_client_error(client: AsyncTestClient[Any]) -> None:
    padded = "-" * 5000
    headers = {**AUTH, "content-type": f"multipart/form-data; boundary={padded}"}
    response = await client.post("/v1/audio/transcriptions", headers=headers, content=b"--" + padded.encode() * 2)
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


async def test_an_uploaded_file_name_is_never_a_path(client: AsyncTestClient[Any]) -> None:
    files = {"file": ("../../etc/passwd", b"abc", "audio/wav")}
    response = await client.post("/v1/audio/transcriptions", headers=AUTH, files=files, data={"model": "m"})
    assert response.json()["text"] == "This is a mock transcription of passwd (3 bytes)."


async def test_speech_is_binary_audio_with_its_content_type(client: AsyncTestClient[Any]) -> None:
    body = {"model": "m", "input": "Hello there", "voice": "alloy", "response_format": "wav"}
    response = await client.post("/v1/audio/speech", json=body, headers=AUTH)
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert response.content.startswith(b"RIFF") and response.content[8:12] == b"WAVE"
    assert response.headers["x-switchboard-provider"] == "mock"


async def test_an_upstream_rate_limit_keeps_its_status_and_retry_after(client: AsyncTestClient[Any]) -> None:
    response = await client.post(
        "/v1/audio/speech", json={"model": "limited", "input": "x", "voice": "alloy"}, headers=AUTH
    )
    assert response.status_code == 429
    assert response.headers["retry-after"] == "3"
    assert response.json()["error"]["type"] == "rate_limit_error"


async def test_an_unknown_model_is_not_found_on_every_media_route(client: AsyncTestClient[Any]) -> None:
    bodies = {
        "/v1/completions": {"model": "nope", "prompt": "x"},
        "/v1/images/generations": {"model": "nope", "prompt": "x"},
        "/v1/audio/speech": {"model": "nope", "input": "x", "voice": "alloy"},
    }
    for path, body in bodies.items():
        response = await client.post(path, json=body, headers=AUTH)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "model_not_found"


async def test_a_bad_body_names_the_field(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/v1/images/generations", json={"model": "m"}, headers=AUTH)
    assert response.status_code == 400
    assert response.json()["error"] == {
        "message": "Missing required parameter: 'prompt'.",
        "type": "invalid_request_error",
        "param": "prompt",
        "code": None,
    }


async def test_the_openapi_document_lists_the_media_routes(client: AsyncTestClient[Any]) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    paths = document["paths"]
    for path in ("/completions", "/images/generations", "/audio/transcriptions", "/audio/speech"):
        assert f"/v1{path}" in paths and path in paths
    form = paths["/v1/audio/transcriptions"]["post"]["requestBody"]["content"]["multipart/form-data"]
    upload = document["components"]["schemas"][form["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert upload["properties"]["file"]["format"] == "binary"
