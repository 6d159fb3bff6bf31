"""Hot-path cost of a response-cache hit, in process: the ASGI app driven directly (as in
``hot_path.py``), with no cache, then with every request a hit in memory and in Redis.

    .venv/bin/python bench/cache_hit.py [--n 10000] [--redis redis://127.0.0.1:6379/15]

Prints microseconds per request (best of 5 rounds): CPU time in the gateway's process, and wall
time (which, for Redis, includes the round trips to the server). Also the parts: deriving a key,
and reading an entry back. Redis is skipped, with a note, when it cannot be reached.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

import orjson
from dependency_injector import providers
from hot_path import ANSWER, CONFIG, REQUEST, _instant, drive

from switchboard.bootstrap.container import Container
from switchboard.bootstrap.http import create_app
from switchboard.bootstrap.logging import configure_logging
from switchboard.bootstrap.providers import known_providers
from switchboard.bootstrap.settings import load_settings
from switchboard.domain.caching.entries import decode_entry
from switchboard.domain.caching.keys import chat_key
from switchboard.domain.chat import ChatRequest, ChatResponse


def config(cache: dict[str, Any] | None, redis_url: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(orjson.dumps(CONFIG))
    if cache is not None:
        data["litellm_settings"] = {"cache": True, "cache_params": cache}
    if redis_url:
        data["general_settings"]["redis_url"] = redis_url
    return data


async def measure(data: dict[str, Any], body: bytes, n: int) -> tuple[float, float]:
    """(CPU µs, wall µs) per request, best of 5 rounds."""
    app = create_app(load_settings(data, known_providers()))
    async with app.lifespan():
        await drive(app, body, 200)  # warm up; the first request fills the cache
        rounds = []
        for _ in range(5):
            start = time.perf_counter()
            cpu = await drive(app, body, n // 5)
            rounds.append((cpu, (time.perf_counter() - start) / (n // 5) * 1e6))
    return min(r[0] for r in rounds), min(r[1] for r in rounds)


def per_call(function: Callable[[], object], n: int) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            function()
        best = min(best, (time.perf_counter() - start) / n * 1e6)
    return best


async def redis_reachable(url: str) -> bool:
    import redis.asyncio as redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        return bool(await client.ping())
    except OSError:
        return False
    except Exception:
        return False
    finally:
        await client.aclose()


async def forget(url: str, namespace: str) -> None:
    import redis.asyncio as redis

    client = redis.Redis.from_url(url)
    async for key in client.scan_iter(match=f"switchboard:cache:{namespace}:*"):
        await client.delete(key)
    await client.aclose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    configure_logging(level="WARNING")  # start/stop lines would interleave with the table
    Container.transport.override(providers.Resource(_instant))
    stream_body = orjson.dumps({**orjson.loads(REQUEST), "stream": True})
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    cases: list[tuple[str, dict[str, Any]]] = [
        ("no cache (instant upstream)", config(None)),
        ("hit, memory", config({"type": "local"})),
    ]
    if await redis_reachable(args.redis):
        cases.append(("hit, redis", config({"type": "redis", "namespace": namespace}, args.redis)))
        cases.append(("hit, dual (memory before redis)", config({"type": "dual", "namespace": namespace}, args.redis)))
    else:
        print(f"(Redis at {args.redis} is not reachable: its rows are left out)")
    print(f"{'per request':<36} {'chat cpu':>9} {'chat wall':>10} {'stream cpu':>11} {'stream wall':>12}  (µs)")
    try:
        for name, data in cases:
            chat_cpu, chat_wall = await measure(data, REQUEST, args.n)
            stream_cpu, stream_wall = await measure(data, stream_body, args.n)
            print(f"{name:<36} {chat_cpu:>9.1f} {chat_wall:>10.1f} {stream_cpu:>11.1f} {stream_wall:>12.1f}")
    finally:
        if len(cases) > 2:
            await forget(args.redis, namespace)
    request = ChatRequest.model_validate_json(REQUEST)
    entry = b"sb1 1700000000.000 dep openai\n" + ANSWER
    print(f"\nparts: derive the key {per_call(lambda: chat_key('', request), 20000):.1f} µs; ", end="")

    def decode() -> ChatResponse:
        decoded = decode_entry(entry)
        assert decoded is not None
        return ChatResponse.model_validate_json(decoded.body)

    print(f"decode an entry {per_call(decode, 20000):.1f} µs; entry size {len(entry)} bytes for this answer")


if __name__ == "__main__":
    asyncio.run(main())
