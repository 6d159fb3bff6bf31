"""The gateway with a response cache: a hit says so in its headers and costs nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from litestar.testing import TestClient
from openai.types import CreateEmbeddingResponse
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from switchboard.bootstrap.http import create_app

MASTER = "sk-test-master"
CONFIG: dict[str, Any] = {
    "model_list": [
        {"model_name": "mock", "litellm_params": {"model": "mock/mock", "mock_response": "A cached answer, in words."}},
        {"model_name": "mock-embedding", "litellm_params": {"model": "mock/mock-embedding"}},
    ],
    "general_settings": {"master_key": MASTER},
    "litellm_settings": {"cache": True, "cache_params": {"type": "local", "ttl": 600}},
}


@pytest.fixture
def client() -> Iterator[TestClient[Any]]:
    with TestClient(app=create_app(CONFIG)) as test_client:
        test_client.headers["authorization"] = f"Bearer {MASTER}"
        yield test_client


def body(content: str = "hello cache", **fields: Any) -> dict[str, Any]:
    return {"model": "mock", "messages": [{"role": "user", "content": content}], **fields}


def test_a_repeated_request_is_a_cache_hit_with_a_zero_cost(client: TestClient[Any]) -> None:
    first = client.post("/v1/chat/completions", json=body())
    second = client.post("/v1/chat/completions", json=body())
    assert "x-switchboard-cache-hit" not in first.headers
    assert second.headers["x-switchboard-cache-hit"] == "true"
    assert second.headers["x-switchboard-response-cost"] == "0"
    assert second.headers["x-switchboard-provider"] == "mock"
    assert ChatCompletion.model_validate(second.json()) == ChatCompletion.model_validate(first.json())


def test_a_hit_streams_back_as_openai_sse(client: TestClient[Any]) -> None:
    client.post("/v1/chat/completions", json=body("stream me"))
    response = client.post(
        "/v1/chat/completions", json=body("stream me", stream=True, stream_options={"include_usage": True})
    )
    assert response.headers["x-switchboard-cache-hit"] == "true"
    frames = response.content.split(b"\n\n")
    assert frames[-1] == b"" and frames[-2] == b"data: [DONE]"
    chunks = [ChatCompletionChunk.model_validate(orjson.loads(f[len(b"data: ") :])) for f in frames[:-2]]
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "A cached answer, in words."
    assert chunks[-1].usage is not None and chunks[-1].choices == []


def test_no_cache_in_the_body_goes_upstream_again(client: TestClient[Any]) -> None:
    client.post("/v1/chat/completions", json=body("fresh"))
    response = client.post("/v1/chat/completions", json=body("fresh", cache={"no-cache": True}))
    assert "x-switchboard-cache-hit" not in response.headers


def test_a_wrong_cache_control_is_a_400_naming_it(client: TestClient[Any]) -> None:
    response = client.post("/v1/chat/completions", json=body(cache={"ttl": "soon"}))
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "cache.ttl"


def test_repeated_embeddings_are_a_hit(client: TestClient[Any]) -> None:
    request = {"model": "mock-embedding", "input": ["one", "two"]}
    first = client.post("/v1/embeddings", json=request)
    second = client.post("/v1/embeddings", json=request)
    assert second.headers["x-switchboard-cache-hit"] == "true"
    assert CreateEmbeddingResponse.model_validate(second.json()).data == (
        CreateEmbeddingResponse.model_validate(first.json()).data
    )
