"""The official openai SDK, through a real gateway on 127.0.0.1, to a fake Bedrock runtime on
another socket that verifies SigV4 with botocore and answers in Converse JSON and event-stream
frames (each frame split across two writes)."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from tests.support.bedrock_upstream import ACCESS_KEY, SECRET_KEY, BedrockUpstream
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[BedrockUpstream, str]]:
    app = BedrockUpstream()
    with serve_asgi(app) as url:
        yield app, url


def bedrock(model_name: str, model: str, url: str) -> dict[str, object]:
    return {
        "model_name": model_name,
        "litellm_params": {
            "model": f"bedrock/{model}",
            "aws_bedrock_runtime_endpoint": url,
            "aws_region_name": "us-east-1",
            "aws_access_key_id": ACCESS_KEY,
            "aws_secret_access_key": SECRET_KEY,
        },
    }


@pytest.fixture(scope="module")
def gateway(upstream: tuple[BedrockUpstream, str]) -> Iterator[str]:
    _, url = upstream
    config = {
        "model_list": [
            bedrock("claude", "converse/us.anthropic.claude-3-haiku-20240307-v1:0", url),
            bedrock("throttled", "fail-rate_limited", url),
            bedrock("stream-fail", "stream-fail", url),
            bedrock("titan", "amazon.titan-embed-text-v2:0", url),
        ],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield base


@pytest.fixture
def client(gateway: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway}/v1", api_key=MASTER_KEY, max_retries=0)


def test_chat_completion_through_the_gateway(client: openai.OpenAI, upstream: tuple[BedrockUpstream, str]) -> None:
    response = client.chat.completions.create(
        model="claude",
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello"}],
        max_tokens=50,
    )
    assert response.choices[0].message.content == "echo: hello"
    assert response.choices[0].finish_reason == "stop"
    assert response.usage is not None and response.usage.total_tokens == 7
    app, _ = upstream
    sent = app.received[-1]
    assert sent.path == "/model/us.anthropic.claude-3-haiku-20240307-v1%3A0/converse"
    assert sent.headers["authorization"].startswith(f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/")
    assert sent.body["system"] == [{"text": "Be brief."}]
    assert sent.body["inferenceConfig"] == {"maxTokens": 50}


def test_streamed_chat_completion_through_the_gateway(
    client: openai.OpenAI, upstream: tuple[BedrockUpstream, str]
) -> None:
    stream = client.chat.completions.create(
        model="claude",
        messages=[{"role": "user", "content": "one two three"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "echo: one two three"
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 7
    app, _ = upstream
    assert app.received[-1].path.endswith("/converse-stream")
    assert app.open_streams == 0


def test_a_bedrock_throttling_error_is_a_rate_limit_error(client: openai.OpenAI) -> None:
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="throttled", messages=[{"role": "user", "content": "x"}])
    assert "ThrottlingException" in str(caught.value)
    assert SECRET_KEY not in str(caught.value)


def test_an_exception_inside_a_bedrock_stream_ends_the_stream_with_an_error(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="stream-fail", messages=[{"role": "user", "content": "x"}], stream=True
    )
    with pytest.raises(openai.APIError):
        list(stream)


def test_titan_embeddings_through_the_gateway(client: openai.OpenAI) -> None:
    response = client.embeddings.create(model="titan", input=["a b", "c"])
    assert [d.index for d in response.data] == [0, 1]
    assert len(response.data[0].embedding) == 4
    assert response.usage.prompt_tokens == 3
