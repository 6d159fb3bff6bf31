"""The fake Mistral upstream: scenarios as Mistral's wire format, checked by the mistralai SDK types."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
from mistralai.client.models import (
    ChatCompletionRequest,
    ChatCompletionResponse,
    ChatCompletionStreamRequest,
    CompletionChunk,
)

from switchboard.adapters.outbound.providers.mistral import MistralProvider
from switchboard.domain.deployments import Deployment
from tests.contract.providers.recorded import RecordedHarness
from tests.contract.providers.scenario import Scenario
from tests.support.contracts import assert_conforms
from tests.support.upstream import StreamCounter, TrackedStream, retry_after_headers, split_text, sse


def error_object(message: str, kind: str, code: str | None, status: int) -> dict[str, Any]:
    return {
        "object": "error",
        "message": message,
        "type": kind,
        "param": None,
        "code": code,
        "raw_status_code": status,
    }


ERRORS: dict[str, tuple[int, dict[str, Any]]] = {
    "rate_limited": (429, error_object("Requests rate limit exceeded", "rate_limited", "1300", 429)),
    "auth": (401, {"message": "Unauthorized", "request_id": "0c4d2e1f"}),
    "not_found": (404, {"detail": "Not Found"}),
    "bad_request": (
        422,
        {"detail": [{"type": "extra_forbidden", "loc": ["body", "foo"], "msg": "Extra inputs are not permitted"}]},
    ),
    "server_error": (500, error_object("Internal server error", "internal_server_error", None, 500)),
    "overloaded": (503, error_object("Service unavailable", "service_unavailable", None, 503)),
    "context_window": (
        400,
        error_object(
            "Prompt contains 40960 tokens and 0 draft tokens, too large for model with 32768 maximum context length",
            "invalid_request_invalid_args",
            "3051",
            400,
        ),
    ),
}
FINISH = {"stop": "stop", "length": "length", "tool_calls": "tool_calls"}


def usage(s: Scenario) -> dict[str, Any]:
    return {
        "prompt_tokens": s.prompt_tokens,
        "completion_tokens": s.completion_tokens,
        "total_tokens": s.prompt_tokens + s.completion_tokens,
    }


def tool_calls(s: Scenario) -> list[dict[str, Any]]:
    return [
        {
            "id": call.id.replace("_", "")[:9].ljust(9, "x"),
            "type": "function",
            "index": index,
            "function": {"name": call.name, "arguments": orjson.dumps(call.arguments).decode()},
        }
        for index, call in enumerate(s.tool_calls)
    ]


def response(s: Scenario, model: str) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": s.text, "prefix": False}
    if s.tool_calls:
        message["tool_calls"] = tool_calls(s)
    body = {
        "id": "cmpl-e5cc70bb28c444948073e77776eb30ef",
        "object": "chat.completion",
        "model": model,
        "created": 1702256327,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if s.tool_calls else FINISH[s.finish],
            }
        ],
        "usage": usage(s),
    }
    assert_conforms(ChatCompletionResponse, body)
    return body


def chunks(s: Scenario, model: str) -> list[dict[str, Any]]:
    def chunk(delta: dict[str, Any], finish: str | None = None, **more: Any) -> dict[str, Any]:
        return {
            "id": "cmpl-7d3f",
            "object": "chat.completion.chunk",
            "created": 1702256327,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **more,
        }

    out = [chunk({"role": "assistant", "content": ""})]
    out += [chunk({"content": piece}) for piece in split_text(s.text, s.chunks)] if s.text else []
    if s.tool_calls:
        out.append(chunk({"tool_calls": tool_calls(s)}))
    if s.cut_stream:
        return out[:2]
    finish = "tool_calls" if s.tool_calls else FINISH[s.finish]
    out.append(chunk({"content": ""}, finish, usage=usage(s)))
    for event in out:
        assert_conforms(CompletionChunk, event)
    return out


class MistralHarness(RecordedHarness):
    name = "mistral"
    capabilities = frozenset({"tools", "cut_stream", "retry_after", "usage_exact", "context_window_errors"})

    def build(self, scenario: Scenario) -> tuple[MistralProvider, Deployment]:
        def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
            assert request.url.path == "/v1/chat/completions"
            assert request.headers["authorization"] == "Bearer sk-test-key-mistral"
            body = orjson.loads(request.content)
            assert_conforms(ChatCompletionStreamRequest if body.get("stream") else ChatCompletionRequest, body)
            if scenario.error:
                status, error = ERRORS[scenario.error]
                headers = retry_after_headers(scenario.retry_after)
                return httpx.Response(status, json=error, headers=headers)
            if body.get("stream"):
                frames = sse(chunks(scenario, body["model"]), done=not scenario.cut_stream)
                return httpx.Response(
                    200, stream=TrackedStream(frames, counter), headers={"content-type": "text/event-stream"}
                )
            return httpx.Response(200, json=response(scenario, body["model"]))

        provider = MistralProvider(self._record(handler), environ={})
        deployment = Deployment(
            id="d-mistral",
            model_name="mistral",
            provider="mistral",
            model="mistral-small-latest",
            api_base="https://api.mistral.test/v1",
            api_key="sk-test-key-mistral",
        )
        return provider, deployment
