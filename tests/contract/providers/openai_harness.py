"""The fake OpenAI upstream: scenarios as OpenAI's wire format, checked by the official SDK types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import orjson
from openai.types import CreateEmbeddingResponse
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from switchboard.adapters.outbound.providers.openai import OpenAIProvider
from switchboard.domain.deployments import Deployment
from tests.contract.providers.recorded import RecordedHarness
from tests.contract.providers.scenario import Scenario
from tests.support.upstream import StreamCounter, TrackedStream, retry_after_headers, split_text, sse

ERRORS: dict[str, tuple[int, dict[str, Any]]] = {
    "rate_limited": (
        429,
        {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"},
    ),
    "auth": (
        401,
        {
            "message": "Incorrect API key provided: sk-abc***",
            "type": "invalid_request_error",
            "code": "invalid_api_key",
        },
    ),
    "not_found": (
        404,
        {
            "message": "The model `x` does not exist",
            "type": "invalid_request_error",
            "code": "model_not_found",
        },
    ),
    "bad_request": (
        400,
        {
            "message": "Invalid value for 'temperature'",
            "type": "invalid_request_error",
            "param": "temperature",
            "code": None,
        },
    ),
    "server_error": (500, {"message": "The server had an error", "type": "server_error", "code": None}),
    "overloaded": (
        503,
        {"message": "The engine is currently overloaded", "type": "server_error", "code": None},
    ),
    "context_window": (
        400,
        {
            "message": "This model's maximum context length is 8192 tokens",
            "type": "invalid_request_error",
            "param": "messages",
            "code": "context_length_exceeded",
        },
    ),
    "content_policy": (
        400,
        {
            "message": "Your request was rejected by our safety system",
            "type": "invalid_request_error",
            "code": "content_policy_violation",
        },
    ),
}


def usage(s: Scenario) -> dict[str, Any]:
    return {
        "prompt_tokens": s.prompt_tokens,
        "completion_tokens": s.completion_tokens,
        "total_tokens": s.prompt_tokens + s.completion_tokens,
        "prompt_tokens_details": {"cached_tokens": s.cached_tokens},
        "completion_tokens_details": {"reasoning_tokens": s.reasoning_tokens},
    }


def completion(s: Scenario, model: str) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": s.text or None, "refusal": None}
    finish = s.finish
    if s.tool_calls:
        message["tool_calls"] = [
            {
                "id": t.id,
                "type": "function",
                "function": {"name": t.name, "arguments": orjson.dumps(t.arguments).decode()},
            }
            for t in s.tool_calls
        ]
        finish = "tool_calls"
    body = {
        "id": "chatcmpl-123",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": usage(s),
    }
    ChatCompletion.model_validate(body)
    return body


def chunks(s: Scenario, model: str) -> list[dict[str, Any]]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": "chatcmpl-123",
            "object": "chat.completion.chunk",
            "created": 1700000000,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
        }

    out = [chunk({"role": "assistant", "content": ""})]
    out += [chunk({"content": piece}) for piece in split_text(s.text, s.chunks)] if s.text else []
    finish = s.finish
    for index, call in enumerate(s.tool_calls):
        arguments = orjson.dumps(call.arguments).decode()
        half = len(arguments) // 2
        out.append(
            chunk(
                {
                    "tool_calls": [
                        {
                            "index": index,
                            "id": call.id,
                            "type": "function",
                            "function": {"name": call.name, "arguments": ""},
                        }
                    ]
                }
            )
        )
        out.append(chunk({"tool_calls": [{"index": index, "function": {"arguments": arguments[:half]}}]}))
        out.append(chunk({"tool_calls": [{"index": index, "function": {"arguments": arguments[half:]}}]}))
        finish = "tool_calls"
    if s.cut_stream:
        return out[:2]
    out.append(chunk({}, finish))
    out.append(
        {
            "id": "chatcmpl-123",
            "object": "chat.completion.chunk",
            "created": 1700000000,
            "model": model,
            "choices": [],
            "usage": usage(s),
        }
    )
    for event in out:
        ChatCompletionChunk.model_validate(event)
    return out


def upstream_handler(scenario: Scenario) -> Callable[[httpx.Request, StreamCounter], httpx.Response]:
    """A fake OpenAI-format upstream playing ``scenario`` (any OpenAI-compatible API too)."""

    def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        body = orjson.loads(request.content)
        if scenario.error:
            status, error = ERRORS[scenario.error]
            headers = retry_after_headers(scenario.retry_after)
            return httpx.Response(status, json={"error": error}, headers=headers)
        if body.get("stream"):
            frames = sse(chunks(scenario, body["model"]), done=not scenario.cut_stream)
            return httpx.Response(
                200, stream=TrackedStream(frames, counter), headers={"content-type": "text/event-stream"}
            )
        return httpx.Response(200, json=completion(scenario, body["model"]))

    return handler


class OpenAIHarness(RecordedHarness):
    name = "openai"
    capabilities = frozenset(
        {
            "tools",
            "usage_details",
            "cached_tokens",
            "finish_reasons",
            "cut_stream",
            "retry_after",
            "usage_exact",
            "images",
            "json_schema",
            "context_window_errors",
            "content_policy_errors",
        }
    )

    def build(self, scenario: Scenario) -> tuple[OpenAIProvider, Deployment]:
        provider = OpenAIProvider(self._record(upstream_handler(scenario)), environ={})
        deployment = Deployment(
            id="d-openai",
            model_name="gpt",
            provider="openai",
            model="gpt-4o-mini",
            api_base="https://api.openai.test/v1",
            api_key="sk-test-key-123456",
        )
        return provider, deployment


def embeddings_body(count: int, model: str) -> dict[str, Any]:
    body = {
        "object": "list",
        "model": model,
        "data": [{"object": "embedding", "index": i, "embedding": [0.1 * i, 0.2]} for i in range(count)],
        "usage": {"prompt_tokens": count, "total_tokens": count},
    }
    CreateEmbeddingResponse.model_validate(body)
    return body
