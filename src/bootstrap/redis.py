"""The one Redis client of the process, shared by every adapter that keeps state in Redis.

Configured by ``general_settings.redis_url`` / ``router_settings.redis_url``, or
``router_settings.redis_host``/``redis_port``/``redis_password`` (LiteLLM's keys), or ``REDIS_URL``.
Without any of them the gateway keeps its state in memory.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from typing import Any
from urllib.parse import quote

from switchboard.bootstrap.config.schema import Config


def redis_url_from(config: Config, environ: Mapping[str, str] | None = None) -> str | None:
    environ = os.environ if environ is None else environ
    general, router = config.general_settings, config.router_settings
    if general.redis_url:
        return general.redis_url
    if router.redis_url:
        return router.redis_url
    if router.redis_host:
        password = router.redis_password.get_secret_value() if router.redis_password else ""
        auth = f":{quote(password, safe='')}@" if password else ""
        return f"redis://{auth}{router.redis_host}:{router.redis_port or 6379}/0"
    return environ.get("REDIS_URL") or None


async def open_redis(url: str | None) -> AsyncIterator[Any]:
    """A pooled ``redis.asyncio.Redis`` for ``url``, or ``None`` when no Redis is configured."""
    if not url:
        yield None
        return
    import redis.asyncio as redis

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
