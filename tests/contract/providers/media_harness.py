"""Harnesses for the media kit: each builds an adapter whose completions, images and audio
answer with a given text (or fail with a given error), behind a fake upstream speaking OpenAI's
wire format at the provider's own addresses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import orjson

from switchboard.adapters.outbound.providers.azure import AzureOpenAIProvider
from switchboard.adapters.outbound.providers.compatible import PROVIDERS
from switchboard.adapters.outbound.providers.info import ProviderDeps
from switchboard.adapters.outbound.providers.mock import MockProvider
from switchboard.adapters.outbound.providers.openai import OpenAIProvider
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.deployments import Deployment
from tests.contract.providers.openai_harness import ERRORS
from tests.contract.providers.recorded import RecordedHarness
from tests.contract.providers.scenario import ErrorKind
from tests.fakes import FakeClock, FakeIds, FakeTokenCounter
from tests.support import openai_media_wire as wire
from tests.support.upstream import StreamCounter, TrackedStream, retry_after_headers, sse


@dataclass(frozen=True)
class MediaScenario:
    text: str = "Hello from the upstream."
    error: ErrorKind | None = None
    retry_after: float | None = None


class MediaHarness(Protocol):
    name: str
    capabilities: frozenset[str]  # of: completions, images, transcriptions, speech

    def build(self, scenario: MediaScenario) -> tuple[Any, Deployment]: ...

    def open_streams(self) -> int: ...


def media_reply(scenario: MediaScenario, request: httpx.Request, counter: StreamCounter) -> httpx.Response:
    """OpenAI's answer to ``request`` (found by its path's end), playing ``scenario``."""
    if scenario.error:
        status, error = ERRORS[scenario.error]
        headers = retry_after_headers(scenario.retry_after)
        return httpx.Response(status, json={"error": error}, headers=headers)
    path = request.url.path
    if path.endswith("/audio/transcriptions"):
        fields, _ = wire.form_parts(request.content, request.headers["content-type"])
        body, content_type = wire.transcription(fields.get("response_format", ["json"])[0], scenario.text)
        return httpx.Response(200, content=body, headers={"content-type": content_type})
    payload = orjson.loads(request.content)
    if path.endswith("/audio/speech"):
        pieces = [wire.MP3[:200], wire.MP3[200:]]
        return httpx.Response(200, stream=TrackedStream(pieces, counter), headers={"content-type": "audio/mpeg"})
    if path.endswith("/images/generations"):
        return httpx.Response(200, json=wire.images(payload.get("n", 1), payload.get("response_format")))
    if path.endswith("/completions") and payload.get("stream"):
        frames = sse(wire.completion_chunks(payload["model"], scenario.text))
        return httpx.Response(200, stream=TrackedStream(frames, counter), headers={"content-type": "text/event-stream"})
    if path.endswith("/completions"):
        return httpx.Response(200, json=wire.completion(payload["model"], [scenario.text]))
    return httpx.Response(404, json={"error": {"message": f"no route {path}", "type": "invalid_request_error"}})


class _UpstreamHarness(RecordedHarness):
    """An adapter built by ``make`` on a transport whose requests go to ``media_reply``."""

    name = ""
    capabilities: frozenset[str] = frozenset()

    def _make(self, transport: Transport) -> tuple[Any, Deployment]:
        raise NotImplementedError

    def build(self, scenario: MediaScenario) -> tuple[Any, Deployment]:
        return self._make(self._record(lambda request, counter: media_reply(scenario, request, counter)))


class OpenAIMediaHarness(_UpstreamHarness):
    name = "openai"
    capabilities = frozenset({"completions", "images", "transcriptions", "speech"})

    def _make(self, transport: Transport) -> tuple[Any, Deployment]:
        provider = OpenAIProvider(transport, environ={})
        deployment = Deployment(
            id="d-openai",
            model_name="m",
            provider="openai",
            model="gpt-3.5-turbo-instruct",
            api_base="https://api.openai.test/v1",
            api_key="sk-test-key-123456",
        )
        return provider, deployment


class AzureMediaHarness(_UpstreamHarness):
    name = "azure"
    capabilities = frozenset({"completions", "images", "transcriptions", "speech"})

    def _make(self, transport: Transport) -> tuple[Any, Deployment]:
        provider = AzureOpenAIProvider(transport, FakeClock(), environ={})
        deployment = Deployment(
            id="d-azure",
            model_name="m",
            provider="azure",
            model="my-deployment",
            api_base="https://res.openai.azure.test",
            api_key="azure-test-key-123456",
            api_version="2024-10-21",
        )
        return provider, deployment


class GroqMediaHarness(_UpstreamHarness):
    """Groq's Whisper, as the ``groq`` row of the compatible table declares it."""

    name = "groq"
    capabilities = frozenset({"transcriptions"})

    def _make(self, transport: Transport) -> tuple[Any, Deployment]:
        environ = {"GROQ_API_KEY": "gsk-test-key-123456", "GROQ_API_BASE": "https://api.groq.test/openai/v1"}
        deps = ProviderDeps(
            transport=transport, clock=FakeClock(), ids=FakeIds(), tokens=FakeTokenCounter(), environ=environ
        )
        provider = PROVIDERS["groq"].adapters(deps).transcriptions
        deployment = Deployment(id="d-groq", model_name="m", provider="groq", model="whisper-large-v3")
        return provider, deployment


_MOCK_STATUS = {
    "rate_limited": 429,
    "auth": 401,
    "not_found": 404,
    "bad_request": 400,
    "server_error": 500,
    "overloaded": 503,
}


class MockMediaHarness:
    name = "mock"
    capabilities = frozenset({"completions", "images", "transcriptions", "speech"})

    def build(self, scenario: MediaScenario) -> tuple[Any, Deployment]:
        params: dict[str, Any] = {"mock_response": scenario.text}
        if scenario.error:
            params["mock_error"] = {
                "status": _MOCK_STATUS[scenario.error],
                "retry_after": scenario.retry_after,
            }
        deployment = Deployment(id="d-mock", model_name="m", provider="mock", model="mock", params=params)
        return MockProvider(FakeClock(), FakeIds(), FakeTokenCounter()), deployment

    def open_streams(self) -> int:
        return 0


MEDIA_HARNESSES: list[Callable[[], MediaHarness]] = [
    MockMediaHarness,
    OpenAIMediaHarness,
    AzureMediaHarness,
    GroqMediaHarness,
]
