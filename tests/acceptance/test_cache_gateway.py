"""The response cache end to end: a real gateway on loopback, a fake OpenAI upstream, and each
cache backend (memory, Redis, memory in front of Redis, SQLite on disk, semantic in Redis)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from switchboard import AsyncClient
from tests.support.openai_upstream import OpenAIUpstream
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"
HI = [{"role": "user", "content": "What is a cache?"}]


@pytest.fixture
def upstream() -> Iterator[tuple[OpenAIUpstream, str]]:
    app = OpenAIUpstream()
    with serve_asgi(app) as url:
        yield app, url


def gateway_config(upstream_url: str, **cache_params: Any) -> dict[str, Any]:
    return {
        "model_list": [
            {
                "model_name": "gpt-test",
                "litellm_params": {"model": "openai/gpt-test", "api_base": f"{upstream_url}/v1", "api_key": "sk-up"},
            },
            {
                "model_name": "embed-test",
                "litellm_params": {"model": "openai/embed-test", "api_base": f"{upstream_url}/v1", "api_key": "sk-up"},
            },
            {"model_name": "mock-embed", "litellm_params": {"model": "mock/mock-embedding"}},
        ],
        "general_settings": {"master_key": MASTER_KEY},
        "litellm_settings": {"cache": True, "cache_params": cache_params},
    }


@pytest.fixture
async def namespace(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A namespace of its own for the test, whose Redis keys are deleted afterwards."""
    name = f"test-{uuid.uuid4().hex[:10]}"
    yield name
    if "redis_url" in request.fixturenames:
        import redis.asyncio as redis

        client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
        for pattern in (f"switchboard:cache:{name}:*", f"switchboard:semantic:{{{name}:*"):
            async for key in client.scan_iter(match=pattern):
                await client.delete(key)
        await client.aclose()


@pytest.mark.parametrize("backend", ["local", "redis"])
def test_100_concurrent_identical_requests_reach_the_upstream_once(
    backend: str, upstream: tuple[OpenAIUpstream, str], namespace: str, request: pytest.FixtureRequest
) -> None:
    app, url = upstream
    config = gateway_config(url, type=backend, namespace=namespace)
    if backend == "redis":
        config["general_settings"]["redis_url"] = request.getfixturevalue("redis_url")

    async def burst(base: str) -> list[httpx.Response]:
        headers = {"authorization": f"Bearer {MASTER_KEY}"}
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
            body = {"model": "gpt-test", "messages": HI}
            return await asyncio.gather(*(client.post("/v1/chat/completions", json=body) for _ in range(100)))

    with serve_gateway(config) as base:
        responses = asyncio.run(burst(base))
    assert [r.status_code for r in responses] == [200] * 100
    assert app.state.requests == 1
    hits = [r.headers.get("x-switchboard-cache-hit") == "true" for r in responses]
    assert hits.count(True) == 99
    assert {r.json()["choices"][0]["message"]["content"] for r in responses} == {"echo: What is a cache?"}


@pytest.mark.parametrize("backend", ["redis", "dual"])
async def test_each_redis_backend_serves_a_repeat_from_the_cache(
    backend: str, upstream: tuple[OpenAIUpstream, str], namespace: str, redis_url: str
) -> None:
    app, url = upstream
    config = gateway_config(url, type=backend, namespace=namespace)
    config["general_settings"]["redis_url"] = redis_url
    async with AsyncClient(config) as client:
        first = await client.chat(model="gpt-test", messages=HI)
        second = await client.chat(model="gpt-test", messages=HI)
    assert first.route is not None and not first.route.cache_hit
    assert second.route is not None and second.route.cache_hit
    assert second.text == first.text
    chat_calls = [b for b in app.bodies if "messages" in b]
    assert len(chat_calls) == 1


async def test_the_redis_semantic_cache_serves_the_same_prompt_asked_another_way(
    upstream: tuple[OpenAIUpstream, str], namespace: str, redis_url: str
) -> None:
    app, url = upstream
    params = {"similarity_threshold": 0.95, "redis_semantic_cache_embedding_model": "mock-embed"}
    config = gateway_config(url, type="redis-semantic", namespace=namespace, **params)
    config["general_settings"]["redis_url"] = redis_url
    as_parts = [{"role": "user", "content": [{"type": "text", "text": "What is a cache?"}]}]
    other = [{"role": "user", "content": "What is a database?"}]
    async with AsyncClient(config) as client:
        await client.chat(model="gpt-test", messages=HI)
        similar = await client.chat(model="gpt-test", messages=as_parts)
        different = await client.chat(model="gpt-test", messages=other)
    assert similar.route is not None and similar.route.cache_hit
    assert different.route is not None and not different.route.cache_hit
    assert app.state.requests == 2


async def test_a_redis_cache_is_shared_by_two_gateways(
    upstream: tuple[OpenAIUpstream, str], namespace: str, redis_url: str
) -> None:
    app, url = upstream
    config = gateway_config(url, type="redis", namespace=namespace)
    config["general_settings"]["redis_url"] = redis_url
    async with AsyncClient(config) as one, AsyncClient(config) as two:
        await one.chat(model="gpt-test", messages=HI)
        served = await two.chat(model="gpt-test", messages=HI)
    assert served.route is not None and served.route.cache_hit
    assert app.state.requests == 1


async def test_a_disk_cache_survives_a_restart(upstream: tuple[OpenAIUpstream, str], tmp_path: Path) -> None:
    app, url = upstream
    config = gateway_config(url, type="disk", disk_cache_dir=str(tmp_path / "cache"))
    async with AsyncClient(config) as client:
        await client.chat(model="gpt-test", messages=HI)
    async with AsyncClient(config) as restarted:
        served = await restarted.chat(model="gpt-test", messages=HI)
    assert served.route is not None and served.route.cache_hit
    assert app.state.requests == 1
