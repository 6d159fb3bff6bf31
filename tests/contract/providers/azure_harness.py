"""The fake Azure OpenAI upstream: OpenAI's chat format at deployment URLs, with Azure's
additions (prompt and completion content-filter results, Azure-shaped content-filter errors).
Requests without the ``api-version`` query or the ``api-key`` header are refused, as Azure does."""

from __future__ import annotations

from typing import Any

import httpx
import orjson

from switchboard.adapters.outbound.providers.azure import AzureOpenAIProvider
from switchboard.domain.deployments import Deployment
from tests.contract.providers.openai_harness import ERRORS, chunks, completion
from tests.contract.providers.recorded import RecordedHarness
from tests.contract.providers.scenario import Scenario
from tests.fakes import FakeClock
from tests.support.upstream import StreamCounter, TrackedStream, retry_after_headers, sse

KEY = "azure-test-key-123456"
VERSION = "2024-10-21"
PATH = "/openai/deployments/gpt4o-prod/chat/completions"

_SAFE = {"filtered": False, "severity": "safe"}
FILTER_RESULTS = {"hate": _SAFE, "self_harm": _SAFE, "sexual": _SAFE, "violence": _SAFE}

CONTENT_FILTER_ERROR = {
    "message": "The response was filtered due to the prompt triggering Azure OpenAI's content management "
    "policy. Please modify your prompt and retry.",
    "type": None,
    "param": "prompt",
    "code": "content_filter",
    "status": 400,
    "innererror": {
        "code": "ResponsibleAIPolicyViolation",
        "content_filter_result": {**FILTER_RESULTS, "violence": {"filtered": True, "severity": "medium"}},
    },
}


def azure_completion(scenario: Scenario, model: str) -> dict[str, Any]:
    body = completion(scenario, model)
    body["prompt_filter_results"] = [{"prompt_index": 0, "content_filter_results": FILTER_RESULTS}]
    body["choices"][0]["content_filter_results"] = FILTER_RESULTS
    return body


def azure_chunks(scenario: Scenario, model: str) -> list[dict[str, Any]]:
    """Azure's stream starts with a chunk carrying only the prompt's filter results."""
    first = {
        "id": "",
        "object": "",
        "created": 0,
        "model": "",
        "choices": [],
        "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": FILTER_RESULTS}],
    }
    return [first, *chunks(scenario, model)]


def refusal(request: httpx.Request) -> httpx.Response | None:
    if request.url.path != PATH:
        return httpx.Response(404, json={"error": {"code": "DeploymentNotFound", "message": "no such deployment"}})
    if request.url.params.get("api-version") != VERSION:
        return httpx.Response(404, json={"error": {"code": "404", "message": "Resource not found"}})
    if request.headers.get("api-key") != KEY:
        return httpx.Response(401, json={"error": {"code": "401", "message": "Access denied: invalid key"}})
    return None


class AzureHarness(RecordedHarness):
    name = "azure"
    capabilities = frozenset({"tools", "usage_details", "cut_stream", "retry_after", "usage_exact"})

    def build(self, scenario: Scenario) -> tuple[AzureOpenAIProvider, Deployment]:
        def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
            refused = refusal(request)
            if refused is not None:
                return refused
            body = orjson.loads(request.content)
            if scenario.error == "content_policy":
                return httpx.Response(400, json={"error": CONTENT_FILTER_ERROR})
            if scenario.error:
                status, error = ERRORS[scenario.error]
                headers = retry_after_headers(scenario.retry_after)
                return httpx.Response(status, json={"error": error}, headers=headers)
            if body.get("stream"):
                frames = sse(azure_chunks(scenario, body["model"]), done=not scenario.cut_stream)
                return httpx.Response(
                    200, stream=TrackedStream(frames, counter), headers={"content-type": "text/event-stream"}
                )
            return httpx.Response(200, json=azure_completion(scenario, body["model"]))

        provider = AzureOpenAIProvider(self._record(handler), FakeClock(), environ={})
        deployment = Deployment(
            id="d-azure",
            model_name="gpt-4o",
            provider="azure",
            model="gpt4o-prod",
            api_base="https://res.openai.azure.test",
            api_key=KEY,
            api_version=VERSION,
        )
        return provider, deployment
