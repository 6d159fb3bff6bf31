"""OpenAIProvider's and Azure's native Responses endpoint: the request passes through (model
replaced), the answer and every event come back as sent, whatever the byte boundaries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import orjson
import pytest

from switchboard.adapters.outbound.providers.azure import AzureOpenAIProvider
from switchboard.adapters.outbound.providers.openai import OpenAIProvider
from switchboard.adapters.outbound.system import SystemClock
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import ProviderUnavailable, RateLimited
from switchboard.domain.ports.responses import ResponsesCall
from tests.support.responses_schema import sdk_event, sdk_response
from tests.support.upstream import RecordingUpstream, StreamCounter, TrackedStream

FIXTURES = Path(__file__).parent / "fixtures"
DEPLOYMENT = Deployment(
    id="d1",
    model_name="m",
    provider="openai",
    model="gpt-4.1",
    api_base="https://api.openai.test/v1",
    api_key="sk-test-key-123456",
)
BODY = {"model": "m", "input": "weather in Paris?", "store": False, "include": ["reasoning.encrypted_content"]}


def provider_for(
    handler: Callable[[httpx.Request, StreamCounter], httpx.Response],
) -> tuple[OpenAIProvider, RecordingUpstream]:
    upstream = RecordingUpstream(handler)
    return OpenAIProvider(upstream.transport(), environ={}), upstream


def split_once(data: bytes, at: int) -> list[bytes]:
    return [piece for piece in (data[:at], data[at:]) if piece]


def test_the_recorded_stream_is_what_the_sdk_models() -> None:
    for block in (FIXTURES / "responses_tool_call.sse").read_text().strip().split("\n\n"):
        sdk_event(orjson.loads(block.split("data: ", 1)[1]))
    sdk_response(orjson.loads((FIXTURES / "responses_tool_call.json").read_bytes()))


async def test_a_response_request_passes_through_with_the_deployments_model() -> None:
    answer = (FIXTURES / "responses_tool_call.json").read_bytes()
    provider, upstream = provider_for(lambda request, counter: httpx.Response(200, content=answer))
    response = await provider.create_response(ResponsesCall(dict(BODY), DEPLOYMENT))
    sent = upstream.requests[0]
    assert str(sent.url) == "https://api.openai.test/v1/responses"
    assert orjson.loads(sent.content) == {**BODY, "model": "gpt-4.1"}
    assert response.output[1]["call_id"] == "call_ZXhhbXBsZQ"
    assert response.usage is not None and response.usage["total_tokens"] == 58


async def test_an_upstream_error_status_is_the_domain_error() -> None:
    error = b'{"error": {"message": "slow down", "type": "requests", "code": "rate_limit_exceeded"}}'
    provider, _ = provider_for(lambda request, counter: httpx.Response(429, content=error))
    with pytest.raises(RateLimited):
        await provider.create_response(ResponsesCall(dict(BODY), DEPLOYMENT))


async def test_the_event_stream_reads_the_same_whatever_the_byte_boundaries() -> None:
    recorded = (FIXTURES / "responses_tool_call.sse").read_bytes()
    splits = iter(range(len(recorded) + 1))
    provider, upstream = provider_for(
        lambda request, counter: httpx.Response(200, stream=TrackedStream(split_once(recorded, next(splits)), counter))
    )
    expected: list[str] | None = None
    for at in range(len(recorded) + 1):
        async with provider.stream_response(ResponsesCall({**BODY, "stream": True}, DEPLOYMENT)) as events:
            received = [e async for e in events]
        kinds = [e["type"] for e in received]
        assert kinds[0] == "response.created" and kinds[-1] == "response.completed", at
        arguments = "".join(e["delta"] for e in received if e["type"] == "response.function_call_arguments.delta")
        assert arguments == '{"city":"Paris"}', at
        expected = expected or kinds
        assert kinds == expected, at
        assert upstream.counter.open == 0


async def test_an_event_stream_cut_before_its_terminal_event_is_unavailable() -> None:
    recorded = (FIXTURES / "responses_tool_call.sse").read_bytes()
    cut = recorded[: recorded.index(b"event: response.completed")]
    provider, _ = provider_for(lambda request, counter: httpx.Response(200, stream=TrackedStream([cut], counter)))
    with pytest.raises(ProviderUnavailable):
        async with provider.stream_response(ResponsesCall({**BODY, "stream": True}, DEPLOYMENT)) as events:
            async for _ in events:
                pass


@pytest.mark.parametrize(
    ("api_version", "url"),
    [
        ("2025-04-01-preview", "https://res.openai.azure.com/openai/responses?api-version=2025-04-01-preview"),
        ("v1", "https://res.openai.azure.com/openai/v1/responses"),
    ],
)
async def test_azure_responses_live_beside_the_deployments(api_version: str, url: str) -> None:
    answer = (FIXTURES / "responses_tool_call.json").read_bytes()
    upstream = RecordingUpstream(lambda request, counter: httpx.Response(200, content=answer))
    provider = AzureOpenAIProvider(upstream.transport(), SystemClock(), environ={})
    deployment = Deployment(
        id="az",
        model_name="m",
        provider="azure",
        model="my-gpt",
        api_base="https://res.openai.azure.com",
        api_key="azure-key",
        api_version=api_version,
    )
    await provider.create_response(ResponsesCall(dict(BODY), deployment))
    sent = upstream.requests[0]
    assert str(sent.url) == url
    assert sent.headers["api-key"] == "azure-key"
    assert orjson.loads(sent.content)["model"] == "my-gpt"
