"""The fake Ollama upstream: scenarios as Ollama's native wire format (NDJSON streams), checked
by the ollama SDK types."""

from __future__ import annotations

from typing import Any

import httpx
import ollama
import orjson

from switchboard.adapters.outbound.providers.ollama import OllamaProvider
from switchboard.domain.deployments import Deployment
from tests.contract.providers.recorded import RecordedHarness
from tests.contract.providers.scenario import Scenario
from tests.fakes import FakeClock, FakeIds
from tests.support.contracts import assert_conforms
from tests.support.upstream import StreamCounter, TrackedStream, retry_after_headers, split_text
from tests.support.wire_schemas import OllamaChatBody

ERRORS: dict[str, tuple[int, str]] = {
    "rate_limited": (429, "too many requests"),
    "auth": (401, "unauthorized"),
    "not_found": (404, 'model "llama9" not found, try pulling it first'),
    "bad_request": (400, "invalid options: temprature"),
    "server_error": (500, "llama runner process has terminated: exit status 2"),
    "overloaded": (503, "server busy, please try again.  maximum pending requests exceeded"),
}
CREATED = "2025-05-27T22:54:57.641643Z"


def final(s: Scenario, model: str) -> dict[str, Any]:
    return {
        "model": model,
        "created_at": CREATED,
        "message": {"role": "assistant", "content": ""},
        "done": True,
        "done_reason": "length" if s.finish == "length" else "stop",
        "total_duration": 4883583458,
        "load_duration": 1334875,
        "prompt_eval_count": s.prompt_tokens,
        "prompt_eval_duration": 342546000,
        "eval_count": s.completion_tokens,
        "eval_duration": 4535599000,
    }


def tool_calls(s: Scenario) -> list[dict[str, Any]]:
    return [{"function": {"name": call.name, "arguments": dict(call.arguments)}} for call in s.tool_calls]


def response(s: Scenario, model: str) -> dict[str, Any]:
    body = final(s, model)
    body["message"] = {"role": "assistant", "content": s.text}
    if s.tool_calls:
        body["message"]["tool_calls"] = tool_calls(s)
    assert_conforms(ollama.ChatResponse, body)
    return body


def lines(s: Scenario, model: str) -> list[dict[str, Any]]:
    def piece(message: dict[str, Any]) -> dict[str, Any]:
        return {
            "model": model,
            "created_at": CREATED,
            "message": {"role": "assistant", **message},
            "done": False,
        }

    out = [piece({"content": text}) for text in split_text(s.text, s.chunks)] if s.text else []
    out += [piece({"content": "", "tool_calls": [call]}) for call in tool_calls(s)]
    out = out[:1] if s.cut_stream else [*out, final(s, model)]
    for line in out:
        assert_conforms(ollama.ChatResponse, line)
    return out


class OllamaHarness(RecordedHarness):
    name = "ollama"
    capabilities = frozenset({"tools", "cut_stream", "usage_exact"})

    def build(self, scenario: Scenario) -> tuple[OllamaProvider, Deployment]:
        def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
            assert request.url.path == "/api/chat"
            body = orjson.loads(request.content)
            assert_conforms(OllamaChatBody, body)
            if scenario.error:
                status, message = ERRORS[scenario.error]
                headers = retry_after_headers(scenario.retry_after)
                return httpx.Response(status, json={"error": message}, headers=headers)
            if body["stream"]:
                # NDJSON with pieces deliberately not aligned to lines: a line split across reads.
                raw = b"".join(orjson.dumps(line) + b"\n" for line in lines(scenario, body["model"]))
                pieces = [raw[i : i + 37] for i in range(0, len(raw), 37)]
                return httpx.Response(
                    200,
                    stream=TrackedStream(pieces, counter),
                    headers={"content-type": "application/x-ndjson"},
                )
            return httpx.Response(200, json=response(scenario, body["model"]))

        provider = OllamaProvider(self._record(handler), FakeClock(), FakeIds(), environ={})
        deployment = Deployment(
            id="d-ollama",
            model_name="llama",
            provider="ollama",
            model="llama3.2",
            api_base="http://ollama.test:11434",
        )
        return provider, deployment
