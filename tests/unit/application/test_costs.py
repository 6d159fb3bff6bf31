"""Every chat and embeddings answer carries its cost: catalog prices, deployment overrides on top."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.embeddings import EmbeddingService
from switchboard.application.pricing import Pricing
from switchboard.application.router import Router
from switchboard.domain.catalog import ModelInfo, Prices
from switchboard.domain.chat import ChatRequest
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.usage import Usage
from tests.fakes import FakeClock, FakeModelCatalog, FakeRandom, FakeTokenCounter
from tests.fakes.providers import FakeChatProvider, FakeProviderDirectory

CATALOG = FakeModelCatalog(
    {
        "fake/priced": ModelInfo(name="priced", prices=Prices(input=1e-6, output=2e-6, cached_input=0.25e-6)),
        "fake/embedder": ModelInfo(name="embedder", mode="embedding", prices=Prices(input=0.5e-6)),
    }
)
CTX = CallContext(request_id="r1")
USAGE = Usage.of(1000, 200, cached=400)  # 600 fresh + 400 cached prompt tokens, 200 output
CATALOG_COST = 600 * 1e-6 + 400 * 0.25e-6 + 200 * 2e-6


def deployment(model: str, **model_info: Any) -> Deployment:
    return Deployment(id=f"d-{model}", model_name=model, provider="fake", model=model, model_info=model_info)


def services(
    *deployments: Deployment, catalog: FakeModelCatalog | None = CATALOG
) -> tuple[ChatService, EmbeddingService]:
    router = Router(DeploymentDirectory(deployments), FakeRandom(), FakeClock())
    providers = FakeProviderDirectory(FakeChatProvider(usage=USAGE))
    path = CallPath(router, FakeClock())
    chat = ChatService(path, providers, FakeTokenCounter(), catalog=catalog)
    return chat, EmbeddingService(path, providers, catalog=catalog)


def chat_request(model: str, **params: Any) -> ChatRequest:
    return ChatRequest.model_validate({"model": model, "messages": [{"role": "user", "content": "hi"}], **params})


async def test_a_chat_answer_carries_its_cost_at_catalog_prices() -> None:
    chat, _ = services(deployment("priced"))
    response = await chat.complete(chat_request("priced"), CTX)
    assert response.route is not None
    assert response.route.cost == pytest.approx(CATALOG_COST)


async def test_model_info_prices_win_over_the_catalog() -> None:
    chat, _ = services(deployment("priced", output_cost_per_token=5e-6))
    response = await chat.complete(chat_request("priced"), CTX)
    assert response.route is not None
    assert response.route.cost == pytest.approx(600 * 1e-6 + 400 * 0.25e-6 + 200 * 5e-6)


async def test_model_info_prices_a_deployment_without_a_catalog() -> None:
    chat, _ = services(deployment("own", input_cost_per_token=1e-6, output_cost_per_token=3e-6), catalog=None)
    response = await chat.complete(chat_request("own"), CTX)
    assert response.route is not None
    assert response.route.cost == pytest.approx(1000 * 1e-6 + 200 * 3e-6)


async def test_a_model_nobody_prices_has_an_unknown_cost() -> None:
    chat, _ = services(deployment("unlisted"))
    response = await chat.complete(chat_request("unlisted"), CTX)
    assert response.route is not None
    assert response.route.cost is None


async def test_a_stream_carries_its_cost_once_it_has_ended() -> None:
    chat, _ = services(deployment("priced"))
    async with chat.stream(chat_request("priced", stream=True), CTX) as stream:
        assert stream.route.cost is None
        async for _ in stream:
            pass
    assert stream.route.cost == pytest.approx(CATALOG_COST)


async def test_an_embeddings_answer_carries_its_cost() -> None:
    _, embeddings = services(deployment("embedder"))
    response = await embeddings.embed(EmbeddingRequest(model="embedder", input=["a b", "c"]), CTX)
    assert response.route is not None
    assert response.route.cost == pytest.approx(response.usage.prompt_tokens * 0.5e-6)


def test_pricing_asks_the_catalog_once_per_deployment_and_model() -> None:
    asked: list[str] = []

    class CountingCatalog(FakeModelCatalog):
        def info(self, deployment: Deployment) -> ModelInfo | None:
            asked.append(deployment.model)
            return super().info(deployment)

    pricing = Pricing(CountingCatalog({}))
    for _ in range(3):
        pricing.info(deployment("priced"))
    assert asked == ["priced"]
