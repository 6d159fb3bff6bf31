"""The one Redis client of the process, shared by every adapter that keeps state in Redis
(its URL: ``bootstrap.settings.redis_url_from``). Without one the gateway keeps its state in
memory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any


async def open_redis(url: str | None) -> AsyncIterator[Any]:
    """A pooled ``redis.asyncio.Redis`` for ``url``, or ``None`` when no Redis is configured."""
    if not url:
        yield None
        return
    import redis.asyncio as redis  # lazy: redis (~60 ms), only when a Redis is configured

    # A blocking pool: a burst of concurrent calls waits (up to ``timeout``) for a connection
    # instead of failing with MaxConnectionsError once the pool is in use.
    pool = redis.BlockingConnectionPool.from_url(
        url,
        max_connections=256,
        timeout=2,
        socket_connect_timeout=2,
        socket_timeout=2,
        health_check_interval=15,
    )
    client = redis.Redis(connection_pool=pool)
    try:
        yield client
    finally:
        await client.aclose()
        await pool.disconnect()  # a pool handed in is not closed by the client
