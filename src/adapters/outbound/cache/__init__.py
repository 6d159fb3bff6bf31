"""Response cache and vector index adapters: memory, Redis, SQLite on disk, and memory in front of
Redis."""

from switchboard.adapters.outbound.cache.disk_cache import SqliteResponseCache
from switchboard.adapters.outbound.cache.dual_cache import DualResponseCache
from switchboard.adapters.outbound.cache.memory_cache import InMemoryResponseCache
from switchboard.adapters.outbound.cache.memory_vectors import InMemoryVectorIndex
from switchboard.adapters.outbound.cache.redis_cache import RedisResponseCache
from switchboard.adapters.outbound.cache.redis_vectors import RedisVectorIndex

__all__ = [
    "DualResponseCache",
    "InMemoryResponseCache",
    "InMemoryVectorIndex",
    "RedisResponseCache",
    "RedisVectorIndex",
    "SqliteResponseCache",
]
