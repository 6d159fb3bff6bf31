"""The database or Redis going away: valid keys keep working from the cache for its TTL, then
503 (never 401); budgets fail closed; rate limits fail open when told to; spend rows wait and
are written when the database is back (LiteLLM #34479, #38121, #35533, PR #35273)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from switchboard.bootstrap.http import create_app
from tests.acceptance.governance.conftest import Gateway, config_for
from tests.support.chaos import ChaosProxy
from tests.support.databases import postgres_schema
from tests.support.servers import in_process, lifespan


@pytest.fixture(scope="module")
def schema_url(postgres_url: str) -> Iterator[str]:
    with postgres_schema(postgres_url) as url:
        yield url


async def _gateway(config: dict[str, Any]) -> AsyncIterator[Gateway]:
    app = create_app(config)
    transport = in_process(app)
    async with lifespan(app), httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Gateway(client, app)


def _through(proxy: ChaosProxy, url: str) -> str:
    parts = urlsplit(url)
    return url.replace(parts.netloc, f"{parts.username + '@' if parts.username else ''}127.0.0.1:{proxy.port}", 1)


async def test_a_database_outage_never_turns_a_valid_key_into_a_401(schema_url: str) -> None:
    parts = urlsplit(schema_url)
    proxy = ChaosProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    await proxy.restore()
    config = config_for(_through(proxy, schema_url), user_api_key_cache_ttl=1, proxy_batch_write_at=0.1)
    async for gateway in _gateway(config):
        key = await gateway.new_key()
        assert (await gateway.chat(key)).status_code == 200
        await proxy.cut()
        assert (await gateway.chat(key)).status_code == 200  # from the cache
        stranger = await gateway.chat("sk-not-cached-anywhere")
        assert stranger.status_code == 503
        assert stranger.json()["error"]["code"] == "database_unavailable"
        await asyncio.sleep(1.2)  # past the cache TTL
        expired = await gateway.chat(key)
        assert expired.status_code == 503
        assert expired.json()["error"]["code"] == "database_unavailable"
        assert "retry-after" in expired.headers
        await proxy.restore()
        for _ in range(50):
            if (await gateway.chat(key)).status_code == 200:
                break
            await asyncio.sleep(0.1)
        else:
            pytest.fail("the gateway did not recover when the database came back")
        for _ in range(100):
            logs = (await gateway.call("GET", "/spend/logs", api_key=key)).json()
            if len(logs) >= 3:
                break
            await asyncio.sleep(0.1)
        assert len(logs) == 3  # the row made during the outage was kept and written
    await proxy.cut()


async def test_budgets_fail_closed_and_rate_limits_fail_open_without_redis(schema_url: str, redis_url: str) -> None:
    parts = urlsplit(redis_url)
    proxy = ChaosProxy(parts.hostname or "127.0.0.1", parts.port or 6379)
    await proxy.restore()
    config = config_for(schema_url, redis_url=_through(proxy, redis_url), rate_limit_store_failure="open")
    async for gateway in _gateway(config):
        budgeted = await gateway.new_key(max_budget=10)
        limited = await gateway.new_key(rpm_limit=1)
        assert (await gateway.chat(budgeted)).status_code == 200
        await proxy.cut()
        refused = await gateway.chat(budgeted)
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "budget_store_unavailable"
        assert (await gateway.chat(limited)).status_code == 200  # local counters stand in
        assert (await gateway.chat(limited)).status_code == 429  # and still count
    await proxy.cut()
