"""``/v1/completions`` for a provider without a native completions endpoint, with fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from litestar.testing import AsyncTestClient

from switchboard.adapters.inbound.http import HttpOptions, HttpServices, build_http_app
from switchboard.application.auth import Authenticator
from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.completions import CompletionService
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.embeddings import EmbeddingService
from switchboard.application.router import Router
from switchboard.domain.deployments import Deployment
from switchboard.domain.usage import Usage
from tests.fakes import FakeClock, FakeRandom, FakeTokenCounter
from tests.fakes.media_providers import EchoChatProvider, registry_serving


@pytest.fixture
async def client() -> AsyncIterator[AsyncTestClient[Any]]:
    directory = DeploymentDirectory([Deployment(id="d1", model_name="chatty", provider="up", model="up-model")])
    registry = registry_serving("up", EchoChatProvider(usage=Usage.of(2, 3)))
    path = CallPath(Router(directory, FakeRandom(), FakeClock()), FakeClock())
    chat = ChatService(path, registry, FakeTokenCounter())

    async def readiness() -> dict[str, Any]:
        return {"status": "healthy"}

    services = HttpServices(
        chat=chat,
        embeddings=EmbeddingService(path, registry),
        auth=Authenticator(None),
        models=list,
        readiness=readiness,
        completions=CompletionService(path, registry, chat, FakeTokenCounter()),
    )
    async with AsyncTestClient(build_http_app(lambda: services, HttpOptions())) as test_client:
        yield test_client


async def test_a_completion_goes_through_chat(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/v1/completions", json={"model": "chatty", "prompt": "Once upon", "echo": True})
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "text_completion" and body["id"] == "cmpl-fake"
    assert body["choices"][0]["text"] == "Once uponreply: Once upon"
    assert body["usage"] == {"prompt_tokens": 2, "completion_tokens": 3, "total_tokens": 5}


async def test_a_streamed_completion_goes_through_chat(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/v1/completions", json={"model": "chatty", "prompt": "hi", "stream": True})
    events = [line.removeprefix("data: ") for line in response.text.split("\n\n") if line]
    assert events[-1] == "[DONE]"
    chunks = [orjson.loads(e) for e in events[:-1]]
    assert "".join(ch["text"] for c in chunks for ch in c["choices"]) == "reply: hi "
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


async def test_what_chat_cannot_carry_is_a_400_naming_it(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/v1/completions", json={"model": "chatty", "prompt": "x", "suffix": "end"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unsupported_parameter"
    assert response.json()["error"]["param"] == "suffix"


async def test_a_route_without_its_service_is_not_found(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/v1/images/generations", json={"model": "chatty", "prompt": "x"})
    assert response.status_code == 404
