"""The HTTP gateway's contract: OpenAI's wire format, OpenAI's error shape, and the right status."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import orjson
import pytest
from litestar.testing import TestClient
from openai.types import CreateEmbeddingResponse
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from tests.unit.adapters.http.conftest import CHAT


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    error: dict[str, Any] = body["error"]
    return error


def test_a_chat_completion_is_an_openai_chat_completion(client: TestClient[Any]) -> None:
    response = client.post("/v1/chat/completions", json=CHAT)
    assert response.status_code == 200
    completion = ChatCompletion.model_validate(response.json())
    assert completion.choices[0].message.content == "Hello there friend"
    assert response.headers["x-switchboard-provider"] == "mock"
    assert response.headers["x-switchboard-model-id"]


def test_paths_work_without_the_v1_prefix(client: TestClient[Any]) -> None:
    assert client.post("/chat/completions", json=CHAT).status_code == 200
    assert client.get("/models").status_code == 200


def test_a_stream_is_sse_in_openais_exact_framing(client: TestClient[Any]) -> None:
    response = client.post("/v1/chat/completions", json={**CHAT, "stream": True})
    assert response.headers["content-type"].startswith("text/event-stream")
    frames = response.content.split(b"\n\n")
    assert frames[-1] == b"" and frames[-2] == b"data: [DONE]"
    chunks = [ChatCompletionChunk.model_validate(orjson.loads(f[len(b"data: ") :])) for f in frames[:-2]]
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Hello there friend"
    assert all(c.usage is None for c in chunks)


def test_a_stream_ends_with_a_usage_chunk_when_asked(client: TestClient[Any]) -> None:
    body = {**CHAT, "stream": True, "stream_options": {"include_usage": True}}
    frames = client.post("/v1/chat/completions", json=body).content.split(b"\n\n")
    last = orjson.loads(frames[-3][len(b"data: ") :])
    assert last["choices"] == []
    assert last["usage"]["total_tokens"] > 0


def test_embeddings_are_openai_embeddings(client: TestClient[Any]) -> None:
    response = client.post("/v1/embeddings", json={"model": "mock-embedding", "input": ["a", "b"]})
    parsed = CreateEmbeddingResponse.model_validate(response.json())
    assert [d.index for d in parsed.data] == [0, 1]


def test_models_lists_every_group(client: TestClient[Any]) -> None:
    data = client.get("/v1/models").json()["data"]
    assert [m["id"] for m in data] == ["mock", "mock-embedding", "failing"]
    assert all(m["object"] == "model" for m in data)


def test_malformed_json_is_a_400_in_openais_shape(client: TestClient[Any]) -> None:
    response = client.post("/v1/chat/completions", content=b'{"model": ', headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert error_of(response)["type"] == "invalid_request_error"


def test_a_missing_field_is_a_400_naming_it(client: TestClient[Any]) -> None:
    response = client.post("/v1/chat/completions", json={"model": "mock"})
    assert response.status_code == 400
    assert error_of(response)["param"] == "messages"


def test_a_wrong_type_is_a_400_naming_the_field(client: TestClient[Any]) -> None:
    response = client.post("/v1/chat/completions", json={**CHAT, "max_tokens": "lots"})
    assert response.status_code == 400
    assert error_of(response)["param"] == "max_tokens"


def test_an_unknown_model_is_a_404_model_not_found(client: TestClient[Any]) -> None:
    response = client.post("/v1/chat/completions", json={**CHAT, "model": "gpt-17"})
    assert response.status_code == 404
    assert error_of(response)["code"] == "model_not_found"


def test_an_oversized_body_is_a_413(client: TestClient[Any]) -> None:
    big = {**CHAT, "messages": [{"role": "user", "content": "x" * 20_000}]}
    response = client.post("/v1/chat/completions", json=big)
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_an_upstream_rate_limit_is_a_429_with_retry_after(client: TestClient[Any]) -> None:
    response = client.post("/v1/chat/completions", json={**CHAT, "model": "failing"})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert error_of(response)["type"] == "rate_limit_error"


def test_a_stream_that_fails_before_its_first_chunk_gets_a_real_status(client: TestClient[Any]) -> None:
    response = client.post("/v1/chat/completions", json={**CHAT, "model": "failing", "stream": True})
    assert response.status_code == 429
    assert error_of(response)["code"] == "rate_limit_exceeded"


def test_an_unknown_route_is_a_404_in_openais_shape(client: TestClient[Any]) -> None:
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert "Unknown route" in error_of(response)["message"]


def test_a_wrong_method_is_a_405_in_openais_shape(client: TestClient[Any]) -> None:
    response = client.get("/v1/chat/completions")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


@pytest.mark.parametrize("headers", [{}, {"authorization": "Bearer sk-wrong"}, {"authorization": "Basic abc"}])
def test_without_the_master_key_every_api_route_is_401(client: TestClient[Any], headers: dict[str, str]) -> None:
    response = client.post("/v1/chat/completions", json=CHAT, headers={"authorization": "", **headers})
    assert response.status_code == 401
    assert error_of(response)["type"] == "authentication_error"


@pytest.mark.parametrize("name", ["x-api-key", "api-key"])
def test_the_key_is_also_accepted_in_api_key_headers(client: TestClient[Any], name: str) -> None:
    response = client.post("/v1/chat/completions", json=CHAT, headers={"authorization": "", name: "sk-test-master"})
    assert response.status_code == 200


def test_health_routes_need_no_key(client: TestClient[Any]) -> None:
    assert client.get("/health/liveliness", headers={"authorization": ""}).status_code == 200
    readiness = client.get("/health/readiness", headers={"authorization": ""})
    assert readiness.json()["status"] == "healthy"


def test_a_request_id_is_echoed(client: TestClient[Any]) -> None:
    response = client.post("/v1/chat/completions", json=CHAT, headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


def test_a_request_id_is_made_when_absent_or_unsafe(client: TestClient[Any]) -> None:
    made = client.post("/v1/chat/completions", json=CHAT).headers["x-request-id"]
    unsafe = client.post("/v1/chat/completions", json=CHAT, headers={"x-request-id": "a b\tc"}).headers["x-request-id"]
    assert len(made) == 32
    assert unsafe != "a b\tc"


def test_a_made_request_id_is_a_time_ordered_uuid(client: TestClient[Any]) -> None:
    made = client.post("/v1/chat/completions", json=CHAT).headers["x-request-id"]
    assert uuid.UUID(hex=made).version == 7


def test_errors_carry_the_request_id_too(client: TestClient[Any]) -> None:
    response = client.post("/v1/chat/completions", json={"model": "mock"}, headers={"x-request-id": "err-1"})
    assert response.headers["x-request-id"] == "err-1"


def test_the_openapi_schema_describes_the_api(client: TestClient[Any]) -> None:
    schema = client.get("/schema/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/v1/chat/completions"]["post"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert reference.rsplit("/", 1)[-1] in schema["components"]["schemas"]
