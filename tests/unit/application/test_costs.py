"""Every chat and embeddings answer carries its cost: catalog prices, deployment overrides on top."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.outbound.providers.mock import MockProvider
from adapters.outbound.providers.registry import ProviderRegistry
from application.chat import ChatService
from application.deployments import DeploymentDirectory
from application.embeddings import EmbeddingService
from application.pricing import Pricing
from domain.catalog import ModelInfo, Prices
from domain.chat import ChatRequest
from domain.context import CallContext
from domain.deployments import Deployment
from domain.embeddings import EmbeddingRequest
from domain.usage import Usage
from tests.fakes import FakeClock, FakeIds, FakeModelCatalog, FakeRandom, FakeTokenCounter

CATALOG = FakeModelCatalog(
    {
        "mock/priced": ModelInfo(name="priced", prices=Prices(input=1e-6, output=2e-6)),
        "mock/embedder": ModelInfo(name="embedder", mode="embedding", prices=Prices(input=0.5e-6)),
    }
)
CTX = CallContext(request_id="r1")
REPLY = "four words of answer"


def deployment(model: str, **model_info: Any) -> Deployment:
    return Deployment(
        id=f"d-{model}",
        model_name=model,
        provider="mock",
        model=model,
        params={"mock_response": REPLY},
        model_info=model_info,
    )


def services(
    *deployments: Deployment, catalog: FakeModelCatalog | None = CATALOG
) -> tuple[ChatService, EmbeddingService]:
    registry = ProviderRegistry()
    registry.register("mock", MockProvider(FakeClock(), FakeIds(), FakeTokenCounter()))
    directory = DeploymentDirectory(deployments)
    chat = ChatService(directory, registry, FakeTokenCounter(), FakeRandom(), catalog=catalog)
    return chat, EmbeddingService(directory, registry, FakeRandom(), catalog=catalog)


def chat_request(model: str, **params: Any) -> ChatRequest:
    return ChatRequest.model_validate(
        {"model": model, "messages": [{"role": "user", "content": "hi"}], **params}
    )


def expected(usage: Usage | None, input_price: float, output_price: float) -> float:
    assert usage is not None
    return usage.prompt_tokens * input_price + usage.completion_tokens * output_price


async def test_a_chat_answer_carries_its_cost_at_catalog_prices() -> None:
    chat, _ = services(deployment("priced"))
    response = await chat.complete(chat_request("priced"), CTX)
    assert response.route is not None
    assert response.route.cost == pytest.approx(expected(response.usage, 1e-6, 2e-6))


async def test_model_info_prices_win_over_the_catalog() -> None:
    chat, _ = services(deployment("priced", input_cost_per_token=3e-6))
    response = await chat.complete(chat_request("priced"), CTX)
    assert response.route is not None
    assert response.route.cost == pytest.approx(expected(response.usage, 3e-6, 2e-6))


async def test_model_info_prices_a_deployment_without_a_catalog() -> None:
    chat, _ = services(deployment("own", input_cost_per_token=1e-6, output_cost_per_token=1e-6), catalog=None)
    response = await chat.complete(chat_request("own"), CTX)
    assert response.route is not None
    assert response.route.cost == pytest.approx(expected(response.usage, 1e-6, 1e-6))


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
    assert stream.route.cost == pytest.approx(expected(stream.usage, 1e-6, 2e-6))


async def test_an_embeddings_answer_carries_its_cost() -> None:
    _, embeddings = services(deployment("embedder"))
    response = await embeddings.embed(EmbeddingRequest(model="embedder", input=["a b", "c"]), CTX)
    assert response.route is not None
    assert response.route.cost == pytest.approx(response.usage.prompt_tokens * 0.5e-6)


def test_pricing_answers_once_per_deployment_and_model() -> None:
    class CountingCatalog(FakeModelCatalog):
        calls = 0

        def info(self, deployment: Deployment) -> ModelInfo | None:
            CountingCatalog.calls += 1
            return super().info(deployment)

    pricing = Pricing(CountingCatalog({}))
    for _ in range(3):
        pricing.info(deployment("priced"))
    assert CountingCatalog.calls == 1
