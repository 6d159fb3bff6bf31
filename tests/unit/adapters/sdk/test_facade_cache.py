"""The facade with a response cache: a hit is marked on the response's route."""

from __future__ import annotations

from typing import Any

from switchboard import AsyncClient

CONFIG: dict[str, Any] = {
    "model_list": [{"model_name": "mock", "litellm_params": {"model": "mock/mock", "mock_response": "cached"}}],
    "litellm_settings": {"cache": True},
}
HI = [{"role": "user", "content": "hi"}]


async def test_a_repeated_call_is_a_free_cache_hit_on_the_route() -> None:
    async with AsyncClient(CONFIG) as client:
        first = await client.chat(model="mock", messages=HI)
        second = await client.chat(model="mock", messages=HI)
    assert first.route is not None and not first.route.cache_hit
    assert second.route is not None and (second.route.cache_hit, second.route.cost) == (True, 0.0)
    assert second.id == first.id and second.text == "cached"
