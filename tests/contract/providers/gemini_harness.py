"""Fake Gemini API and Vertex AI upstreams for the provider kit.

Both speak ``generateContent`` / ``streamGenerateContent?alt=sse`` as Google does: every request
body is validated with the google-genai types, every answer is built by ``tests.support.
gemini_wire`` (validated the same way). The Vertex fake also plays Google's token endpoint and
checks the service account's signed JWT before it hands out a token.
"""

from __future__ import annotations

from typing import Any

import httpx
import orjson

from switchboard.adapters.outbound.providers.gemini import GeminiProvider
from switchboard.adapters.outbound.providers.vertex_ai import VertexProvider
from switchboard.domain.deployments import Deployment
from tests.contract.providers.recorded import RecordedHarness
from tests.contract.providers.scenario import Scenario
from tests.fakes import FakeClock, FakeIds, FakeTokenCounter
from tests.support import gemini_wire
from tests.support.google_auth import service_account, token_body, verify_token_request
from tests.support.google_schema import validate_request
from tests.support.upstream import StreamCounter, TrackedStream, sse

TOKEN_URI = "https://oauth2.test/token"
ACCESS_TOKEN = "ya29.test-access-token"


def answer(request: httpx.Request, counter: StreamCounter, scenario: Scenario, vertex: bool) -> httpx.Response:
    """What Google answers a generateContent request under ``scenario``."""
    body = orjson.loads(request.content)
    validate_request(body)
    model = "gemini-2.5-flash"
    streaming = request.url.path.endswith(":streamGenerateContent")
    if streaming and request.url.params.get("alt") != "sse":
        return httpx.Response(400, json=gemini_wire.google_error(400, "INVALID_ARGUMENT", "want alt=sse"))
    if scenario.error == "content_policy":
        payload = gemini_wire.blocked_prompt(model)
        if streaming:
            return httpx.Response(200, stream=TrackedStream(sse([payload], done=False), counter))
        return httpx.Response(200, json=payload)
    if scenario.error:
        status, error = gemini_wire.error_reply(scenario.error, scenario.retry_after, vertex=vertex)
        return httpx.Response(status, json=error)
    if streaming:
        frames = sse(gemini_wire.stream_events(scenario, model), done=False)
        return httpx.Response(200, stream=TrackedStream(frames, counter), headers={"content-type": "text/event-stream"})
    return httpx.Response(200, json=gemini_wire.completion(scenario, model))


class _Harness(RecordedHarness):
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

    def sent(self) -> list[dict[str, Any]]:
        if not self._upstream:
            return []
        return [orjson.loads(r.content) for r in self._upstream.requests if r.url.host != "oauth2.test"]


class GeminiHarness(_Harness):
    name = "gemini"

    def build(self, scenario: Scenario) -> tuple[GeminiProvider, Deployment]:
        def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
            assert request.headers["x-goog-api-key"] == "sk-test-key-123456"
            assert request.url.path.startswith("/v1beta/models/gemini-2.5-flash:")
            return answer(request, counter, scenario, vertex=False)

        provider = GeminiProvider(self._record(handler), FakeClock(), FakeIds(), FakeTokenCounter(), environ={})
        deployment = Deployment(
            id="d-gemini",
            model_name="gemini",
            provider="gemini",
            model="gemini-2.5-flash",
            api_key="sk-test-key-123456",
        )
        return provider, deployment


class VertexHarness(_Harness):
    name = "vertex_ai"

    def build(self, scenario: Scenario) -> tuple[VertexProvider, Deployment]:
        clock = FakeClock()

        def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
            if str(request.url) == TOKEN_URI:
                verify_token_request(request.content, TOKEN_URI, now=clock.now())
                return httpx.Response(200, content=token_body(ACCESS_TOKEN))
            assert request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
            assert request.url.host == "europe-west4-aiplatform.googleapis.com"
            assert request.url.path.startswith(
                "/v1/projects/test-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash:"
            )
            return answer(request, counter, scenario, vertex=True)

        provider = VertexProvider(self._record(handler), clock, FakeIds(), FakeTokenCounter(), environ={})
        deployment = Deployment(
            id="d-vertex",
            model_name="gemini",
            provider="vertex_ai",
            model="gemini-2.5-flash",
            params={
                "vertex_project": "test-project",
                "vertex_location": "europe-west4",
                "vertex_credentials": orjson.dumps(service_account(TOKEN_URI)).decode(),
            },
        )
        return provider, deployment
