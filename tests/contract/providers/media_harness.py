"""Harnesses for the media kit: each builds an adapter whose completions, images and audio
answer with a given text (or fail with a given error), behind a fake upstream speaking OpenAI's
wire format at the provider's own addresses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import orjson

from switchboard.adapters.outbound.providers.azure import AzureOpenAIProvider
from switchboard.adapters.outbound.providers.compatible import PROVIDERS
from switchboard.adapters.outbound.providers.info import Adapters, ProviderDeps
from switchboard.adapters.outbound.providers.mock import MockProvider
from switchboard.adapters.outbound.providers.openai import OpenAIProvider
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.deployments import Deployment
from switchboard.domain.endpoints import Endpoint
from tests.contract.providers.openai_harness import ERRORS
from tests.contract.providers.recorded import RecordedHarness
from tests.contract.providers.scenario import ErrorKind
from tests.fakes import FakeClock, FakeIds, FakeTokenCounter
from tests.support import openai_media_wire as wire
from tests.support.upstream import StreamCounter, TrackedStream, retry_after_headers, sse

MEDIA = frozenset({Endpoint.COMPLETIONS, Endpoint.IMAGES, Endpoint.TRANSCRIPTIONS, Endpoint.SPEECH})


@dataclass(frozen=True)
class MediaScenario:
    text: str = "Hello from the upstream."
    error: ErrorKind | None = None
    retry_after: float | None = None


class MediaHarness(Protocol):
    """Builds a provider's adapters, one for each endpoint in ``capabilities`` (``None`` for the
    others, which the kit never asks for)."""

    name: str
    capabilities: frozenset[Endpoint]  # of: completions, images, transcriptions, speech

    def build(self, scenario: MediaScenario) -> tuple[Adapters, Deployment]: ...

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
    capabilities: frozenset[Endpoint] = frozenset()

    def _make(self, transport: Transport) -> tuple[Adapters, Deployment]:
        raise NotImplementedError

    def build(self, scenario: MediaScenario) -> tuple[Adapters, Deployment]:
        return self._make(self._record(lambda request, counter: media_reply(scenario, request, counter)))


class OpenAIMediaHarness(_UpstreamHarness):
    name = "openai"
    capabilities = MEDIA

    def _make(self, transport: Transport) -> tuple[Adapters, Deployment]:
        adapters = Adapters.of(OpenAIProvider(transport, environ={}), MEDIA)
        deployment = Deployment(
            id="d-openai",
            model_name="m",
            provider="openai",
            model="gpt-3.5-turbo-instruct",
            api_base="https://api.openai.test/v1",
            api_key="sk-test-key-123456",
        )
        return adapters, deployment


class AzureMediaHarness(_UpstreamHarness):
    name = "azure"
    capabilities = MEDIA

    def _make(self, transport: Transport) -> tuple[Adapters, Deployment]:
        adapters = Adapters.of(AzureOpenAIProvider(transport, FakeClock(), environ={}), MEDIA)
        deployment = Deployment(
            id="d-azure",
            model_name="m",
            provider="azure",
            model="my-deployment",
            api_base="https://res.openai.azure.test",
            api_key="azure-test-key-123456",
            api_version="2024-10-21",
        )
        return adapters, deployment


class GroqMediaHarness(_UpstreamHarness):
    """Groq's Whisper, as the ``groq`` row of the compatible table declares it."""

    name = "groq"
    capabilities = frozenset({Endpoint.TRANSCRIPTIONS})

    def _make(self, transport: Transport) -> tuple[Adapters, Deployment]:
        environ = {"GROQ_API_KEY": "gsk-test-key-123456", "GROQ_API_BASE": "https://api.groq.test/openai/v1"}
        deps = ProviderDeps(
            transport=transport, clock=FakeClock(), ids=FakeIds(), tokens=FakeTokenCounter(), environ=environ
        )
        adapters = PROVIDERS["groq"].adapters(deps)
        deployment = Deployment(id="d-groq", model_name="m", provider="groq", model="whisper-large-v3")
        return adapters, deployment


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
    capabilities = MEDIA

    def build(self, scenario: MediaScenario) -> tuple[Adapters, Deployment]:
        params: dict[str, Any] = {"mock_response": scenario.text}
        if scenario.error:
            params["mock_error"] = {
                "status": _MOCK_STATUS[scenario.error],
                "retry_after": scenario.retry_after,
            }
        deployment = Deployment(id="d-mock", model_name="m", provider="mock", model="mock", params=params)
        return Adapters.of(MockProvider(FakeClock(), FakeIds(), FakeTokenCounter()), MEDIA), deployment

    def open_streams(self) -> int:
        return 0


MEDIA_HARNESSES: list[type[MediaHarness]] = [
    MockMediaHarness,
    OpenAIMediaHarness,
    AzureMediaHarness,
    GroqMediaHarness,
]
