"""Caller-set text that lands in rows (``user``: the end user's id) is checked at the edge, on the
real PostgreSQL, where a 300-character or NUL-bearing id once hid a call's spend (issue 11, item 6)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from switchboard.bootstrap.http import create_app
from tests.acceptance.governance.conftest import Gateway, config_for
from tests.support.databases import postgres_schema
from tests.support.servers import in_process, lifespan


@pytest.fixture(scope="module")
def schema_url(postgres_url: str) -> Iterator[str]:
    with postgres_schema(postgres_url) as url:
        yield url


@pytest.fixture
async def gateway(schema_url: str) -> AsyncIterator[Gateway]:
    app = create_app(config_for(schema_url, proxy_batch_write_at=0.05))
    transport = in_process(app)
    async with lifespan(app), httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Gateway(client, app)


async def rows_of(gateway: Gateway, key: str, count: int) -> list[dict[str, Any]]:
    for _ in range(200):
        logs: list[dict[str, Any]] = (await gateway.call("GET", "/spend/logs", api_key=key, size=100)).json()
        if len(logs) >= count:
            return logs
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} spend rows")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/chat/completions", {"model": "cheap", "messages": [{"role": "user", "content": "hi"}]}),
        ("/v1/embeddings", {"model": "mock-embedding", "input": "hi"}),
    ],
)
async def test_a_user_over_256_characters_is_a_400_naming_it(gateway: Gateway, path: str, body: dict[str, Any]) -> None:
    key = await gateway.new_key()
    response = await gateway.call("POST", path, key=key, json={**body, "user": "u" * 257})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "user"


async def test_a_user_of_256_characters_is_served_and_billed(gateway: Gateway) -> None:
    key = await gateway.new_key()
    assert (await gateway.chat(key, user="u" * 256)).status_code == 200
    [row] = await rows_of(gateway, key, 1)
    assert row["end_user"] == "u" * 256 and row["cost"] > 0


async def test_a_nul_in_user_is_dropped_and_the_call_is_billed(gateway: Gateway) -> None:
    key = await gateway.new_key()
    response = await gateway.chat(key, user="a\x00b")
    assert response.status_code == 200
    [row] = await rows_of(gateway, key, 1)
    assert row["end_user"] == "ab"
    info = await gateway.admin("/key/info", method="GET", key=key)
    assert info["info"]["spend"] > 0
