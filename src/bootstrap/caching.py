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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from switchboard.application.caching.chat_cache import ChatCache
from switchboard.application.caching.embedding_cache import EmbeddingCache
from switchboard.application.caching.semantic import SemanticMatcher
from switchboard.application.caching.store import CacheStore
from switchboard.bootstrap.config.caching import CALL_TYPES, REDIS_TYPES, SEMANTIC_TYPES, CacheParams
from switchboard.bootstrap.config.problems import ConfigError, Problem
from switchboard.bootstrap.config.schema import Config
from switchboard.domain.caching.policy import DEFAULT_TTL, CachePolicy
from switchboard.domain.calls import CallKind
from switchboard.domain.ports.cache import ResponseCache, VectorIndex
from switchboard.domain.ports.clock import Clock

if TYPE_CHECKING:
    from switchboard.application.embeddings import EmbeddingService

PARAMS_PATH = "litellm_settings.cache_params"
DEFAULT_DISK_DIR = ".switchboard_cache"
DEFAULT_LOCAL_TTL = 60.0
KEY_PREFIX = "switchboard:cache:"
VECTOR_PREFIX = "switchboard:semantic:"
MEMORY_VECTORS = 10_000  # in all
REDIS_VECTORS_PER_SCOPE = 2_000


@dataclass(frozen=True)
class CacheSettings:
    """The cache the gateway runs with (``RuntimeSettings.cache``; ``None``: no cache)."""

    type: str
    policy: CachePolicy
    redis_url: str | None = None  # a Redis for the cache alone; None: the shared one
    max_entries: int | None = None
    max_bytes: int | None = None
    disk_dir: str = DEFAULT_DISK_DIR
    local_ttl: float = DEFAULT_LOCAL_TTL
    semantic_model: str | None = None
    similarity_threshold: float = 1.0
    semantic_max_entries: int | None = None
    index_name: str | None = None
    socket_timeout: float | None = None
    max_connections: int | None = None

    @property
    def semantic(self) -> bool:
        return self.type in SEMANTIC_TYPES

    @property
    def uses_redis(self) -> bool:
        return self.type in REDIS_TYPES


def cache_settings(config: Config, shared_redis_url: str | None) -> CacheSettings | None:
    """The cache settings, or ``None`` when ``litellm_settings.cache`` is off.

    Raises ``ConfigError`` when a Redis type has no Redis to use, or the semantic cache's
    embedding model is not a ``model_name`` of ``model_list``.
    """
    if not config.litellm_settings.cache:
        return None
    params = config.litellm_settings.cache_params or CacheParams()
    own_url = _own_redis_url(params)
    problems = []
    if params.type in REDIS_TYPES and own_url is None and shared_redis_url is None:
        problems.append(
            Problem(
                f"{PARAMS_PATH}.type",
                f"cache type '{params.type}' needs Redis: set cache_params.host (and port, password), "
                "or general_settings.redis_url / router_settings.redis_host, or REDIS_URL",
            )
        )
    model = params.redis_semantic_cache_embedding_model
    if params.type in SEMANTIC_TYPES and model not in {entry.model_name for entry in config.model_list}:
        problems.append(
            Problem(
                f"{PARAMS_PATH}.redis_semantic_cache_embedding_model",
                f"'{model}' is not a model_name in model_list; the semantic cache embeds prompts with it",
            )
        )
    if problems:
        raise ConfigError(problems)
    return CacheSettings(
        type=params.type,
        policy=CachePolicy(
            kinds=_kinds(params.supported_call_types),
            ttl=params.ttl if params.ttl is not None else DEFAULT_TTL,
            namespace=params.namespace,
            namespace_by=params.namespace_by,
            default_off=params.mode == "default_off",
        ),
        redis_url=own_url,
        max_entries=params.max_size,
        max_bytes=params.max_bytes,
        disk_dir=params.disk_cache_dir or DEFAULT_DISK_DIR,
        local_ttl=params.default_in_memory_ttl or DEFAULT_LOCAL_TTL,
        semantic_model=model,
        similarity_threshold=params.similarity_threshold if params.similarity_threshold is not None else 1.0,
        semantic_max_entries=params.semantic_max_entries,
        index_name=params.redis_semantic_cache_index_name,
        socket_timeout=params.socket_timeout,
        max_connections=params.max_connections,
    )


def _own_redis_url(params: CacheParams) -> str | None:
    if not params.host:
        return None
    password = params.password.get_secret_value() if params.password else ""
    auth = f":{quote(password, safe='')}@" if password else ""
    return f"redis://{auth}{params.host}:{params.port or 6379}/0"


def _kinds(call_types: list[str] | None) -> frozenset[CallKind]:
    if call_types is None:
        return frozenset({"chat", "embeddings"})
    return frozenset(cast(CallKind, CALL_TYPES[name]) for name in call_types if CALL_TYPES[name] is not None)


# --- resources (container) ---------------------------------------------------------------------


async def open_cache_redis(settings: CacheSettings | None, shared: Any) -> AsyncIterator[Any]:
    """The Redis client the cache uses: its own (closed at shutdown), the shared one, or None."""
    if settings is None or not settings.uses_redis:
        yield None
        return
    if settings.redis_url is None:
        yield shared
        return
    import redis.asyncio as redis

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
    from switchboard.adapters.outbound.cache import (  # only when a cache is configured: keeps start-up lean
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
    from switchboard.adapters.outbound.cache import InMemoryVectorIndex, RedisVectorIndex

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
