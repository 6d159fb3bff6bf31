"""``litellm_settings.cache_params``: LiteLLM's cache keys and values, plus a few of our own.

LiteLLM's: ``type`` (local, redis, disk, redis-semantic, valkey-semantic), ``ttl``, ``namespace``,
``supported_call_types``, ``mode`` (default_on / default_off), ``host``/``port``/``password``,
``disk_cache_dir``, ``max_size_in_memory``, ``default_in_memory_ttl``, ``similarity_threshold``,
``redis_semantic_cache_embedding_model``, ``redis_semantic_cache_index_name``, ``max_connections``,
``socket_timeout``. Switchboard's: ``type: dual`` (memory in front of Redis), ``type:
local-semantic``, ``namespace_by``, ``max_size`` (entries), ``max_bytes``, ``semantic_max_entries``.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

CacheType = Literal["local", "redis", "dual", "disk", "redis-semantic", "valkey-semantic", "local-semantic"]
SUPPORTED_TYPES: tuple[str, ...] = get_args(CacheType)
SEMANTIC_TYPES = frozenset({"redis-semantic", "valkey-semantic", "local-semantic"})
REDIS_TYPES = frozenset({"redis", "dual", "redis-semantic", "valkey-semantic"})
# LiteLLM cache types Switchboard does not implement, and what to use instead.
_UNSUPPORTED = {
    "qdrant-semantic": "use redis-semantic (vectors in Redis, no module needed) or local-semantic",
    "s3": "use redis or disk",
    "gcs": "use redis or disk",
    "azure-blob": "use redis or disk",
}

# LiteLLM's call types, and the Switchboard call kind each one names (None: not cached yet).
CALL_TYPES: dict[str, str | None] = {
    "completion": "chat",
    "acompletion": "chat",
    "embedding": "embeddings",
    "aembedding": "embeddings",
    "text_completion": None,
    "atext_completion": None,
    "transcription": None,
    "atranscription": None,
    "rerank": None,
    "arerank": None,
    "responses": None,
    "aresponses": None,
}


class CacheParams(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True, populate_by_name=True)

    type: CacheType = "local"
    ttl: float | None = Field(default=None, gt=0)
    namespace: str | None = Field(default=None, min_length=1, max_length=128)
    namespace_by: Literal["none", "key", "team"] = "none"
    mode: Literal["default_on", "default_off"] = "default_on"
    supported_call_types: list[str] | None = None
    host: str | None = None
    port: int | None = Field(default=None, ge=1, le=65535)
    password: SecretStr | None = None
    max_connections: int | None = Field(default=None, ge=1)
    socket_timeout: float | None = Field(default=None, gt=0)
    disk_cache_dir: str | None = None
    max_size: int | None = Field(default=None, ge=1, validation_alias=AliasChoices("max_size", "max_size_in_memory"))
    max_bytes: int | None = Field(default=None, ge=1)
    default_in_memory_ttl: float | None = Field(default=None, gt=0)
    similarity_threshold: float | None = Field(default=None, ge=0, le=1)
    redis_semantic_cache_embedding_model: str | None = Field(default=None, min_length=1)
    redis_semantic_cache_index_name: str | None = Field(default=None, min_length=1)
    semantic_max_entries: int | None = Field(default=None, ge=1)

    @field_validator("type", mode="before")
    @classmethod
    def _known_type(cls, value: object) -> object:
        if isinstance(value, str) and value in _UNSUPPORTED:
            raise ValueError(f"cache type '{value}' is not supported by Switchboard; {_UNSUPPORTED[value]}")
        if isinstance(value, str) and value not in SUPPORTED_TYPES:
            raise ValueError(f"unknown cache type '{value}'; use one of {', '.join(SUPPORTED_TYPES)}")
        return value

    @field_validator("supported_call_types")
    @classmethod
    def _known_call_types(cls, value: list[str] | None) -> list[str] | None:
        for name in value or ():
            if name not in CALL_TYPES:
                raise ValueError(f"unknown call type '{name}'; use any of {', '.join(CALL_TYPES)}")
        return value

    @model_validator(mode="after")
    def _semantic_needs_its_settings(self) -> CacheParams:
        if self.type in SEMANTIC_TYPES:
            missing = [
                name
                for name in ("similarity_threshold", "redis_semantic_cache_embedding_model")
                if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(f"cache type '{self.type}' needs {' and '.join(missing)}")
        return self
