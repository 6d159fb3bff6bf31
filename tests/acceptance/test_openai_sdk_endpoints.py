"""The official openai SDK's completions, images and audio calls, against a real gateway on
127.0.0.1 in front of a fake OpenAI (and Groq) upstream."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from tests.support.openai_media_upstream import OpenAIMediaUpstream
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[OpenAIMediaUpstream, str]]:
    app = OpenAIMediaUpstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def gateway(upstream: tuple[OpenAIMediaUpstream, str]) -> Iterator[str]:
    _, url = upstream

    def deployment(name: str, model: str) -> dict[str, object]:
        return {
            "model_name": name,
            "litellm_params": {"model": model, "api_base": f"{url}/v1", "api_key": "sk-upstream"},
        }

    config = {
        "model_list": [
            deployment("instruct", "openai/gpt-3.5-turbo-instruct"),
            deployment("painter", "openai/dall-e-3"),
            deployment("whisper", "openai/whisper-1"),
            deployment("voice", "openai/tts-1"),
            deployment("limited", "openai/fail-429"),
            deployment("gated-voice", "openai/gated"),
            {
                "model_name": "groq-whisper",
                "litellm_params": {
                    "model": "groq/whisper-large-v3",
                    "api_base": f"{url}/openai/v1",
                    "api_key": "gsk-x",
                },
            },
        ],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield base


@pytest.fixture
def client(gateway: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway}/v1", api_key=MASTER_KEY, max_retries=0)


def test_a_legacy_completion(client: openai.OpenAI) -> None:
    completion = client.completions.create(model="instruct", prompt="Once upon", max_tokens=5)
    assert completion.choices[0].text == "echo: Once upon"
    assert completion.usage is not None and completion.usage.total_tokens == 9


def test_a_streamed_legacy_completion(client: openai.OpenAI) -> None:
    stream = client.completions.create(
        model="instruct", prompt="Once upon", stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)
    assert "".join(c.choices[0].text for c in chunks if c.choices) == "echo: Once upon"
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 9


def test_an_image(client: openai.OpenAI, upstream: tuple[OpenAIMediaUpstream, str]) -> None:
    images = client.images.generate(model="painter", prompt="a lighthouse", n=2, size="1024x1024")
    assert images.data is not None and [i.url for i in images.data] == ["https://images.test/1.png"] * 2
    sent = upstream[0].seen[-1]
    assert sent.body == {"model": "dall-e-3", "prompt": "a lighthouse", "n": 2, "size": "1024x1024"}


def test_a_transcription_upload(
    client: openai.OpenAI, upstream: tuple[OpenAIMediaUpstream, str], tmp_path: Path
) -> None:
    audio = tmp_path / "talk.mp3"
    audio.write_bytes(b"ID3\x00\x01binary-audio")
    with audio.open("rb") as file:
        transcription = client.audio.transcriptions.create(model="whisper", file=file, language="en")
    assert transcription.text == "heard talk.mp3"
    sent = upstream[0].seen[-1]
    assert sent.path == "/v1/audio/transcriptions"
    assert sent.files["file"][:2] == ("talk.mp3", b"ID3\x00\x01binary-audio")
    assert sent.body["model"] == "whisper-1" and sent.body["language"] == "en"
    assert sent.headers["authorization"] == "Bearer sk-upstream"


def test_a_transcription_as_plain_text(client: openai.OpenAI) -> None:
    text = client.audio.transcriptions.create(model="whisper", file=("a.wav", b"RIFF"), response_format="text")
    assert text == "heard a.wav\n"


def test_a_verbose_transcription_with_word_timestamps(
    client: openai.OpenAI, upstream: tuple[OpenAIMediaUpstream, str]
) -> None:
    verbose = client.audio.transcriptions.create(
        model="whisper",
        file=("a.wav", b"RIFF"),
        response_format="verbose_json",
        timestamp_granularities=["word"],
    )
    assert [w.word for w in verbose.words or []] == ["heard", "a.wav"]
    assert upstream[0].seen[-1].body["timestamp_granularities[]"] == ["word"]


def test_groq_whisper_through_the_gateway(client: openai.OpenAI, upstream: tuple[OpenAIMediaUpstream, str]) -> None:
    transcription = client.audio.transcriptions.create(model="groq-whisper", file=("a.m4a", b"audio"))
    assert transcription.text == "heard a.m4a"
    sent = upstream[0].seen[-1]
    assert sent.path == "/openai/v1/audio/transcriptions"
    assert sent.body["model"] == "whisper-large-v3" and sent.headers["authorization"] == "Bearer gsk-x"


def test_speech(client: openai.OpenAI) -> None:
    speech = client.audio.speech.create(model="voice", input="Hello there", voice="alloy")
    assert speech.content.startswith(b"\xff\xfb")
    assert len(speech.content) == 417
    assert speech.response.headers["content-type"] == "audio/mpeg"


def test_speech_streamed_to_a_file(client: openai.OpenAI, tmp_path: Path) -> None:
    target = tmp_path / "hello.mp3"
    with client.audio.speech.with_streaming_response.create(model="voice", input="Hello", voice="alloy") as response:
        response.stream_to_file(target)
    assert target.read_bytes().startswith(b"\xff\xfb")


def test_speech_bytes_pass_through_before_the_upstream_has_finished(
    gateway: str, upstream: tuple[OpenAIMediaUpstream, str]
) -> None:
    app, _ = upstream
    body = {"model": "gated-voice", "input": "Hello", "voice": "alloy"}
    headers = {"authorization": f"Bearer {MASTER_KEY}"}
    with httpx.stream("POST", f"{gateway}/v1/audio/speech", json=body, headers=headers, timeout=20) as response:
        pieces = response.iter_raw()
        first = next(pieces)  # arrives while the upstream still holds back the rest
        app.gate.set()
        rest = b"".join(pieces)
    assert (first + rest).startswith(b"\xff\xfb") and len(first + rest) == 417
    assert app.released == [True]


def test_an_upstream_rate_limit_reaches_the_sdk(client: openai.OpenAI) -> None:
    with pytest.raises(openai.RateLimitError) as caught:
        client.images.generate(model="limited", prompt="x")
    assert caught.value.response.headers["retry-after"] == "3"


def test_a_wrong_gateway_key_is_refused_for_an_upload(gateway: str) -> None:
    stranger = openai.OpenAI(base_url=f"{gateway}/v1", api_key="sk-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        stranger.audio.transcriptions.create(model="whisper", file=("a.wav", b"RIFF"))
