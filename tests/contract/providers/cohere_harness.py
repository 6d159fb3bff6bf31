"""The fake Cohere v2 upstream: scenarios as Cohere's wire format, checked by the cohere SDK types."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
from cohere.v2.types import V2ChatResponse, V2ChatStreamResponse

from switchboard.adapters.outbound.providers.cohere import CohereProvider
from switchboard.domain.deployments import Deployment
from tests.contract.providers.recorded import RecordedHarness
from tests.contract.providers.scenario import Scenario
from tests.fakes import FakeClock
from tests.support.contracts import assert_conforms
from tests.support.upstream import StreamCounter, TrackedStream, retry_after_headers, split_text
from tests.support.wire_schemas import CohereChatBody

# Cohere's errors are {"message": ...} with no structured type: the status is all there is.
ERRORS: dict[str, tuple[int, str]] = {
    "rate_limited": (429, "You are using a Trial key, which is limited to 20 API calls / minute."),
    "auth": (401, "invalid api token"),
    "not_found": (404, "model 'command-x' not found, make sure the correct model ID was used"),
    "bad_request": (400, "invalid request: temperature must be between 0 and 5"),
    "server_error": (500, "internal server error, this has been reported to our developers"),
    "overloaded": (503, "service unavailable"),
}
FINISH = {"stop": "COMPLETE", "length": "MAX_TOKENS", "tool_calls": "TOOL_CALL"}


def usage(s: Scenario) -> dict[str, Any]:
    return {
        "billed_units": {"input_tokens": s.prompt_tokens, "output_tokens": s.completion_tokens},
        # Raw counts include Cohere's prompt template; billing (and so we) use billed_units.
        "tokens": {"input_tokens": s.prompt_tokens + 60, "output_tokens": s.completion_tokens},
        "cached_tokens": s.cached_tokens,
    }


def tool_calls(s: Scenario) -> list[dict[str, Any]]:
    return [
        {
            "id": call.id,
            "type": "function",
            "function": {"name": call.name, "arguments": orjson.dumps(call.arguments).decode()},
        }
        for call in s.tool_calls
    ]


def response(s: Scenario) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant"}
    if s.text:
        message["content"] = [{"type": "text", "text": s.text}]
    if s.tool_calls:
        message["tool_plan"] = "I will call the tools."
        message["tool_calls"] = tool_calls(s)
    finish = "TOOL_CALL" if s.tool_calls else FINISH[s.finish]
    body = {
        "id": "5a9c6a1e-0c1f-4d2e-8f3a-7b6c5d4e3f21",
        "finish_reason": finish,
        "message": message,
        "usage": usage(s),
    }
    assert_conforms(V2ChatResponse, body)
    return body


def events(s: Scenario) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {
            "type": "message-start",
            "id": "9e1f2d3c-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
            "delta": {"message": {"role": "assistant"}},
        }
    ]
    if s.text:
        out.append(
            {
                "type": "content-start",
                "index": 0,
                "delta": {"message": {"content": {"type": "text", "text": ""}}},
            }
        )
        out += [
            {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": piece}}}}
            for piece in split_text(s.text, s.chunks)
        ]
        out.append({"type": "content-end", "index": 0})
    for index, call in enumerate(tool_calls(s)):
        arguments = call["function"]["arguments"]
        half = len(arguments) // 2
        start = {**call, "function": {"name": call["function"]["name"], "arguments": ""}}
        out.append({"type": "tool-call-start", "index": index, "delta": {"message": {"tool_calls": start}}})
        for piece in (arguments[:half], arguments[half:]):
            delta = {"message": {"tool_calls": {"function": {"arguments": piece}}}}
            out.append({"type": "tool-call-delta", "index": index, "delta": delta})
        out.append({"type": "tool-call-end", "index": index})
    if s.cut_stream:
        return out[:3]
    finish = "TOOL_CALL" if s.tool_calls else FINISH[s.finish]
    out.append({"type": "message-end", "delta": {"finish_reason": finish, "usage": usage(s)}})
    for event in out:
        assert_conforms(V2ChatStreamResponse, event)
    return out


def frames(s: Scenario) -> list[bytes]:
    sse = [f"event: {e['type']}\ndata: ".encode() + orjson.dumps(e) + b"\n\n" for e in events(s)]
    return sse if s.cut_stream else [*sse, b"data: [DONE]\n\n"]


class CohereHarness(RecordedHarness):
    name = "cohere"
    capabilities = frozenset({"tools", "cut_stream", "retry_after", "usage_exact"})

    def build(self, scenario: Scenario) -> tuple[CohereProvider, Deployment]:
        def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
            assert request.url.path == "/v2/chat"
            assert request.headers["authorization"] == "Bearer sk-test-key-cohere"
            body = orjson.loads(request.content)
            assert_conforms(CohereChatBody, body)
            if scenario.error:
                status, message = ERRORS[scenario.error]
                headers = retry_after_headers(scenario.retry_after)
                return httpx.Response(status, json={"id": "e-1", "message": message}, headers=headers)
            if body.get("stream"):
                stream = TrackedStream(frames(scenario), counter)
                return httpx.Response(200, stream=stream, headers={"content-type": "text/event-stream"})
            return httpx.Response(200, json=response(scenario))

        provider = CohereProvider(self._record(handler), FakeClock(), environ={})
        deployment = Deployment(
            id="d-cohere",
            model_name="command",
            provider="cohere",
            model="command-a-03-2025",
            api_base="https://api.cohere.test",
            api_key="sk-test-key-cohere",
        )
        return provider, deployment
