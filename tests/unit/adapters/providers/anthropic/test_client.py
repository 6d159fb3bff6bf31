"""AnthropicProvider against a fake upstream on 127.0.0.1: URL, headers, keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from switchboard.adapters.outbound.providers.anthropic import AnthropicProvider
from switchboard.adapters.outbound.providers.anthropic.client import messages_url
from switchboard.domain.chat import ChatRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import AuthenticationError
from switchboard.domain.ports.providers import ChatCall
from tests.fakes import FakeClock
from tests.support.anthropic_wire import validate_request
from tests.support.upstream import RecordingUpstream, StreamCounter, TrackedStream

FIXTURES = Path(__file__).parent / "fixtures"


def upstream() -> RecordingUpstream:
    def answer(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        if b'"stream":true' in request.content:
            stream = TrackedStream([(FIXTURES / "stream_text.sse").read_bytes()], counter)
            return httpx.Response(200, stream=stream, headers={"content-type": "text/event-stream"})
        return httpx.Response(200, content=(FIXTURES / "message_text.json").read_bytes())

    return RecordingUpstream(answer)


def deployment(**fields: Any) -> Deployment:
    values: dict[str, Any] = {
        "id": "d1",
        "model_name": "claude",
        "provider": "anthropic",
        "model": "claude-sonnet-4-5",
        "api_key": "sk-ant-deployment",
    }
    return Deployment(**{**values, **fields})


def call(dep: Deployment, **request: Any) -> ChatCall:
    body = {"model": "claude", "messages": [{"role": "user", "content": "Hi"}], **request}
    return ChatCall(request=ChatRequest.model_validate(body), deployment=dep)


async def sent(dep: Deployment, environ: dict[str, str] | None = None, **request: Any) -> httpx.Request:
    fake = upstream()
    provider = AnthropicProvider(fake.transport(), FakeClock(), environ=environ or {})
    await provider.complete(call(dep, **request))
    validate_request(fake.bodies()[-1])
    return fake.requests[-1]


async def test_the_key_goes_in_x_api_key_with_the_models_api_version() -> None:
    request = await sent(deployment())
    assert str(request.url) == "https://api.anthropic.com/v1/messages"
    assert request.headers["x-api-key"] == "sk-ant-deployment"
    assert request.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in request.headers


async def test_current_models_get_the_current_api_version() -> None:
    request = await sent(deployment(model="claude-opus-4-7"))
    assert request.headers["anthropic-version"] == "2026-10-21"


async def test_a_deployment_api_version_and_betas_are_sent() -> None:
    dep = deployment(api_version="2026-10-21", params={"anthropic_beta": ["files-api-2025-04-14", "x-1"]})
    request = await sent(dep)
    assert request.headers["anthropic-version"] == "2026-10-21"
    assert request.headers["anthropic-beta"] == "files-api-2025-04-14,x-1"


async def test_the_key_falls_back_to_the_environment() -> None:
    request = await sent(deployment(api_key=None), environ={"ANTHROPIC_API_KEY": "sk-ant-env"})
    assert request.headers["x-api-key"] == "sk-ant-env"


async def test_no_key_anywhere_is_an_authentication_error() -> None:
    provider = AnthropicProvider(upstream().transport(), FakeClock(), environ={})
    with pytest.raises(AuthenticationError):
        await provider.complete(call(deployment(api_key=None)))


async def test_model_info_max_output_tokens_is_the_default_max_tokens() -> None:
    fake = upstream()
    provider = AnthropicProvider(fake.transport(), FakeClock(), environ={})
    await provider.complete(call(deployment(model_info={"max_output_tokens": 64000})))
    assert fake.bodies()[-1]["max_tokens"] == 64000


async def test_the_response_time_comes_from_the_clock() -> None:
    provider = AnthropicProvider(upstream().transport(), FakeClock(start=1234.9), environ={})
    response = await provider.complete(call(deployment()))
    assert response.created == 1234


async def test_a_stream_reads_to_its_usage_and_closes_the_upstream() -> None:
    fake = upstream()
    provider = AnthropicProvider(fake.transport(), FakeClock(), environ={})
    async with provider.stream(call(deployment(), stream=True)) as chunks:
        received = [chunk async for chunk in chunks]
    assert "".join(c.text for c in received) == "Hello wörld, from Claude 🌍."
    assert received[-1].usage is not None
    assert fake.counter.open == 0
    assert fake.bodies()[-1]["stream"] is True


@pytest.mark.parametrize(
    ("base", "url"),
    [
        (None, "https://api.anthropic.com/v1/messages"),
        ("https://proxy.test/anthropic/", "https://proxy.test/anthropic/v1/messages"),
        ("https://proxy.test/v1", "https://proxy.test/v1/messages"),
        ("https://proxy.test/v1/messages", "https://proxy.test/v1/messages"),
    ],
)
def test_the_messages_url_follows_api_base(base: str | None, url: str) -> None:
    assert messages_url(base) == url
