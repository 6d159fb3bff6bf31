"""The response cache the gateway runs with, derived from ``litellm_settings.cache`` and
``cache_params`` (``RuntimeSettings.cache``). Values only: ``bootstrap/caching.py`` builds the
adapters from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast
from urllib.parse import quote

from switchboard.bootstrap.config.caching import CALL_TYPES, REDIS_TYPES, SEMANTIC_TYPES, CacheParams
from switchboard.bootstrap.config.problems import ConfigError, Problem
from switchboard.bootstrap.config.schema import Config
from switchboard.domain.caching.policy import DEFAULT_TTL, CachePolicy
from switchboard.domain.calls import CallKind

PARAMS_PATH = "litellm_settings.cache_params"
DEFAULT_DISK_DIR = ".switchboard_cache"
DEFAULT_LOCAL_TTL = 60.0


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
