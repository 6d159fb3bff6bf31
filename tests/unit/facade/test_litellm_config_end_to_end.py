"""A LiteLLM config's aliases and litellm_params prices, end to end through the facade on the
built-in mock provider (the whole container: directory, router, pricing)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from switchboard import AsyncClient

CONFIG = {
    "model_list": [
        {
            "model_name": "house",
            "litellm_params": {
                "model": "mock/house-model",
                "mock_response": "Canned.",
                "input_cost_per_token": 0.001,
                "output_cost_per_token": 0.002,
            },
        }
    ],
    "router_settings": {
        "model_group_alias": {"house-v1": "house", "house-old": {"model": "house", "hidden": True}},
    },
}
HELLO = [{"role": "user", "content": "hi"}]


@pytest.fixture
async def client() -> AsyncIterator[AsyncClient]:
    async with AsyncClient(CONFIG) as core:
        yield core


async def test_an_alias_is_served_by_its_group(client: AsyncClient) -> None:
    response = await client.chat("house-v1", HELLO)
    assert response.text == "Canned."


async def test_a_hidden_alias_is_served_and_not_listed(client: AsyncClient) -> None:
    assert (await client.chat("house-old", HELLO)).text == "Canned."
    assert await client.models() == ["house", "house-v1"]


async def test_the_litellm_params_price_is_the_calls_cost(client: AsyncClient) -> None:
    response = await client.chat("house", HELLO)
    assert response.usage is not None
    expected = response.usage.prompt_tokens * 0.001 + response.usage.completion_tokens * 0.002
    assert response.route is not None
    assert response.route.cost == pytest.approx(expected)
    assert expected > 0
