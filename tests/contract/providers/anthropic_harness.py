"""The fake Anthropic upstream: scenarios as Messages API wire format, checked by the SDK types.

Every request body the adapter sends is validated as ``MessageCreateParams``; every answer and
stream event the fake sends is validated as ``Message`` / ``RawMessageStreamEvent`` first.
"""

from __future__ import annotations

from typing import Any

import httpx
import orjson

from switchboard.adapters.outbound.providers.anthropic import AnthropicProvider
from switchboard.domain.deployments import Deployment
from tests.contract.providers.recorded import RecordedHarness
from tests.contract.providers.scenario import Scenario
from tests.fakes import FakeClock
from tests.support.anthropic_wire import sse_frames, validate_error, validate_message, validate_request
from tests.support.upstream import StreamCounter, TrackedStream, retry_after_headers, split_text

ERRORS: dict[str, tuple[int, str, str]] = {
    "rate_limited": (
        429,
        "rate_limit_error",
        "Number of request tokens has exceeded your per-minute rate limit",
    ),
    "auth": (401, "authentication_error", "invalid x-api-key"),
    "not_found": (404, "not_found_error", "model: claude-nope"),
    "bad_request": (
        400,
        "invalid_request_error",
        "messages: roles must alternate between user and assistant",
    ),
    "server_error": (500, "api_error", "Internal server error"),
    "overloaded": (529, "overloaded_error", "Overloaded"),
    "context_window": (400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum"),
    "content_policy": (400, "invalid_request_error", "Output blocked by content filtering policy"),
}
STOP_REASONS = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "content_filter": "refusal",
}
MESSAGE_ID = "msg_01HarnessReply"


def usage(s: Scenario) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "input_tokens": s.prompt_tokens - s.cached_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": s.cached_tokens,
        "output_tokens": s.completion_tokens,
    }
    if s.reasoning_tokens:
        fields["output_tokens_details"] = {"thinking_tokens": s.reasoning_tokens}
    return fields


def stop_reason(s: Scenario) -> str:
    return "tool_use" if s.tool_calls else STOP_REASONS[s.finish]


def message(s: Scenario, model: str) -> dict[str, Any]:
    content: list[dict[str, Any]] = [{"type": "text", "text": s.text}] if s.text else []
    content += [{"type": "tool_use", "id": t.id, "name": t.name, "input": dict(t.arguments)} for t in s.tool_calls]
    body = {
        "id": MESSAGE_ID,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason(s),
        "stop_sequence": None,
        "usage": usage(s),
    }
    validate_message(body)
    return body


def events(s: Scenario, model: str) -> list[dict[str, Any]]:
    start = message(s, model) | {
        "content": [],
        "stop_reason": None,
        "usage": {**usage(s), "output_tokens": 1},
    }
    out: list[dict[str, Any]] = [{"type": "message_start", "message": start}]
    index = 0
    if s.text:
        out.append({"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}})
        out.append({"type": "ping"})
        out.extend(
            {"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": piece}}
            for piece in split_text(s.text, s.chunks)
        )
        if s.cut_stream:
            return out[:4]
        out.append({"type": "content_block_stop", "index": index})
        index += 1
    for call in s.tool_calls:
        block = {"type": "tool_use", "id": call.id, "name": call.name, "input": {}}
        out.append({"type": "content_block_start", "index": index, "content_block": block})
        arguments = orjson.dumps(call.arguments).decode()
        for piece in (arguments[: len(arguments) // 2], arguments[len(arguments) // 2 :]):
            delta = {"type": "input_json_delta", "partial_json": piece}
            out.append({"type": "content_block_delta", "index": index, "delta": delta})
        out.append({"type": "content_block_stop", "index": index})
        index += 1
    final = usage(s)
    out.append(
        {
            "type": "message_delta",
            "delta": {"stop_reason": stop_reason(s), "stop_sequence": None},
            "usage": {k: v for k, v in final.items() if k in ("output_tokens", "output_tokens_details")},
        }
    )
    out.append({"type": "message_stop"})
    return out


def error_response(s: Scenario) -> httpx.Response:
    status, kind, text = ERRORS[s.error or ""]
    body = {"type": "error", "error": {"type": kind, "message": text}, "request_id": "req_011Harness"}
    validate_error(body)
    headers = retry_after_headers(s.retry_after)
    return httpx.Response(status, json=body, headers=headers)


class AnthropicHarness(RecordedHarness):
    name = "anthropic"
    capabilities = frozenset(
        {
            "tools",
            "usage_details",
            "cut_stream",
            "retry_after",
            "usage_exact",
            "images",
            "json_schema",
            "context_window_errors",
            "content_policy_errors",
        }
    )

    def build(self, scenario: Scenario) -> tuple[AnthropicProvider, Deployment]:
        def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
            body = orjson.loads(request.content)
            validate_request(body)
            assert request.headers["x-api-key"] == "sk-ant-test-key-123456"
            if scenario.error:
                return error_response(scenario)
            if body.get("stream"):
                frames = sse_frames(events(scenario, body["model"]))
                return httpx.Response(
                    200, stream=TrackedStream(frames, counter), headers={"content-type": "text/event-stream"}
                )
            return httpx.Response(200, json=message(scenario, body["model"]))

        provider = AnthropicProvider(self._record(handler), FakeClock(), environ={})
        deployment = Deployment(
            id="d-anthropic",
            model_name="claude",
            provider="anthropic",
            model="claude-sonnet-4-5",
            api_base="https://api.anthropic.test",
            api_key="sk-ant-test-key-123456",
        )
        return provider, deployment
