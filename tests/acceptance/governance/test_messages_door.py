"""The Anthropic door under governance: the same keys, model access, budgets and spend rows as
chat, with refusals in Anthropic's shape."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

from tests.acceptance.governance.conftest import REPLY, Gateway


async def message(gateway: Gateway, key: str, model: str = "cheap", **extra: Any) -> httpx.Response:
    body = {"model": model, "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}], **extra}
    return await gateway.call("POST", "/v1/messages", key=None, headers={"x-api-key": key}, json=body)


async def rows_of(gateway: Gateway, key: str, count: int) -> list[dict[str, Any]]:
    for _ in range(200):
        logs: list[dict[str, Any]] = (await gateway.call("GET", "/spend/logs", api_key=key, size=100)).json()
        if len(logs) >= count:
            return logs
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} spend rows")


async def test_a_message_is_charged_to_the_key_and_its_row_names_the_door(make_gateway: Callable[..., Any]) -> None:
    async with make_gateway(proxy_batch_write_at=0.05) as gateway:
        key = await gateway.new_key(max_budget=10)
        answer = await message(gateway, key)
        assert answer.status_code == 200, answer.text
        assert answer.json()["content"][0]["text"] == REPLY
        streamed = await message(gateway, key, stream=True)
        assert streamed.status_code == 200 and "event: message_stop" in streamed.text
        rows = await rows_of(gateway, key, 2)
        assert {row["call_type"] for row in rows} == {"messages"}
        assert all(row["cost"] > 0 for row in rows)


async def test_a_model_outside_the_keys_list_is_an_anthropic_permission_error(gateway: Gateway) -> None:
    key = await gateway.new_key(models=["other"])
    refused = await message(gateway, key)
    assert refused.status_code == 403
    assert refused.json()["type"] == "error" and refused.json()["error"]["type"] == "permission_error"


async def test_a_spent_budget_is_an_anthropic_rate_limit_error(gateway: Gateway) -> None:
    key = await gateway.new_key(max_budget=0.0)
    refused = await message(gateway, key)
    assert refused.status_code == 429 and refused.json()["error"]["type"] == "rate_limit_error"


async def test_no_key_is_an_anthropic_authentication_error(gateway: Gateway) -> None:
    body = {"model": "cheap", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}
    refused = await gateway.call("POST", "/messages/count_tokens", key=None, json=body)
    assert refused.status_code == 401 and refused.json()["error"]["type"] == "authentication_error"
