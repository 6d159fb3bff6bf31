"""The response cache, from ``litellm_settings.cache`` / ``cache_params`` to wired adapters.

local            InMemoryResponseCache
redis            RedisResponseCache (cache_params host/port/password, else the shared Redis)
dual             InMemoryResponseCache in front of RedisResponseCache (local copies live at
                 most default_in_memory_ttl seconds)
disk             SqliteResponseCache in disk_cache_dir
redis-semantic   Redis entries + RedisVectorIndex (valkey-semantic is the same)
local-semantic   memory entries + InMemoryVectorIndex
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from switchboard.application.caching.chat_cache import ChatCache
from switchboard.application.caching.embedding_cache import EmbeddingCache
from switchboard.application.caching.semantic import SemanticMatcher
from switchboard.application.caching.store import CacheStore
from switchboard.bootstrap.cache_settings import CacheSettings
from switchboard.domain.ports.cache import ResponseCache, VectorIndex
from switchboard.domain.ports.clock import Clock

if TYPE_CHECKING:
    from switchboard.application.embeddings import EmbeddingService

KEY_PREFIX = "switchboard:cache:"
VECTOR_PREFIX = "switchboard:semantic:"
MEMORY_VECTORS = 10_000  # in all
REDIS_VECTORS_PER_SCOPE = 2_000


async def open_cache_redis(settings: CacheSettings | None, shared: Any) -> AsyncIterator[Any]:
    """The Redis client the cache uses: its own (closed at shutdown), the shared one, or None."""
    if settings is None or not settings.uses_redis:
        yield None
        return
    if settings.redis_url is None:
        yield shared
        return
    import redis.asyncio as redis  # lazy: redis, only for a Redis cache of its own

    timeout = settings.socket_timeout or 2.0
    client = redis.Redis.from_url(
        settings.redis_url,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        health_check_interval=15,
        max_connections=settings.max_connections,
    )
    try:
        yield client
    finally:
        await client.aclose()


async def open_response_cache(
    settings: CacheSettings | None, redis: Any, clock: Clock
) -> AsyncIterator[ResponseCache | None]:
    if settings is None:
        yield None
        return
    cache = await _response_cache(settings, redis, clock)
    try:
        yield cache
    finally:
        await cache.aclose()


async def _response_cache(settings: CacheSettings, redis: Any, clock: Clock) -> ResponseCache:
    from switchboard.adapters.outbound.cache import (  # lazy: only when a cache is configured
        DualResponseCache,
        InMemoryResponseCache,
        RedisResponseCache,
        SqliteResponseCache,
    )

    def local() -> InMemoryResponseCache:
        bounds = {"max_entries": settings.max_entries, "max_bytes": settings.max_bytes}
        return InMemoryResponseCache(clock, **{k: v for k, v in bounds.items() if v is not None})

    match settings.type:
        case "local" | "local-semantic":
            return local()
        case "redis" | "redis-semantic" | "valkey-semantic":
            return RedisResponseCache(redis, prefix=KEY_PREFIX)
        case "dual":
            return DualResponseCache(
                local(), RedisResponseCache(redis, prefix=KEY_PREFIX), local_ttl=settings.local_ttl
            )
        case "disk":
            disk = SqliteResponseCache(
                settings.disk_dir,
                clock,
                max_entries=settings.max_entries,
                **({"max_bytes": settings.max_bytes} if settings.max_bytes else {}),
            )
            return await disk.open()
    raise ValueError(f"unknown cache type {settings.type!r}")


async def open_vector_index(
    settings: CacheSettings | None, redis: Any, clock: Clock
) -> AsyncIterator[VectorIndex | None]:
    if settings is None or not settings.semantic:
        yield None
        return
    from switchboard.adapters.outbound.cache import InMemoryVectorIndex, RedisVectorIndex  # lazy: semantic cache only

    limit = settings.semantic_max_entries
    index: VectorIndex
    if settings.uses_redis:
        prefix = f"{settings.index_name}:" if settings.index_name else VECTOR_PREFIX
        index = RedisVectorIndex(redis, clock, prefix=prefix, max_entries=limit or REDIS_VECTORS_PER_SCOPE)
    else:
        index = InMemoryVectorIndex(clock, max_entries=limit or MEMORY_VECTORS)
    try:
        yield index
    finally:
        await index.aclose()


def build_cache_store(backend: ResponseCache | None, clock: Clock) -> CacheStore | None:
    return None if backend is None else CacheStore(backend, clock)


def build_embedding_cache(settings: CacheSettings | None, store: CacheStore | None) -> EmbeddingCache | None:
    if settings is None or store is None or "embeddings" not in settings.policy.kinds:
        return None
    return EmbeddingCache(store, settings.policy)


def build_chat_cache(
    settings: CacheSettings | None,
    store: CacheStore | None,
    index: VectorIndex | None,
    embeddings: EmbeddingService,
    clock: Clock,
) -> ChatCache | None:
    if settings is None or store is None or "chat" not in settings.policy.kinds:
        return None
    semantic = None
    if index is not None and settings.semantic_model is not None:
        semantic = SemanticMatcher(
            embeddings, index, store, model=settings.semantic_model, threshold=settings.similarity_threshold
        )
    return ChatCache(store, settings.policy, clock, semantic)
