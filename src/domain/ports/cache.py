"""Where cached answers live: a byte store with expiry, and an index of prompt vectors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol


class ResponseCache(Protocol):
    """Opaque bytes under string keys, each with an optional time to live.

    - Keys are the caller's (``domain.caching.keys`` makes them); an adapter may prefix them but
      never changes their meaning. Values are stored and returned byte for byte.
    - ``ttl`` is in seconds (fractions allowed); ``None`` keeps the entry until it is evicted.
      An expired entry is never returned, even if the backend has not dropped it yet.
    - A bounded adapter may evict any entry at any time (least recently used first); a value
      larger than the adapter's bound is silently not stored.
    - Last writer wins: concurrent ``set`` calls on one key leave one of the values, whole.
    - A backend failure (Redis down, disk full) raises; callers treat it as a miss.
    """

    async def get(self, key: str) -> bytes | None:
        """The value stored under ``key``, or ``None`` when it is missing or expired."""
        ...

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """``get`` for each key, in order, in one round trip where the backend allows."""
        ...

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        """Store ``value`` under ``key`` for ``ttl`` seconds, replacing any older value."""
        ...

    async def set_many(self, items: Mapping[str, bytes], ttl: float | None = None) -> None:
        """``set`` for each item, all with the same ``ttl``; not atomic as a whole."""
        ...

    async def delete(self, key: str) -> None:
        """Remove ``key``; removing a missing key is not an error."""
        ...

    async def aclose(self) -> None:
        """Release what the adapter opened (a shared client is left to its owner). Idempotent."""
        ...


class VectorIndex(Protocol):
    """Prompt vectors for the semantic cache, grouped in scopes; each points at a cache key.

    A scope holds the vectors whose answers are interchangeable apart from the prompt (same
    namespace, model group and answer-changing parameters). Vectors are compared by cosine
    similarity; their length is the embedding model's and must not change within a scope (a
    vector of another length never matches). Entries expire after their ``ttl`` like cache
    entries; a bounded adapter drops the oldest entries of a scope first.
    """

    async def add(self, scope: str, vector: Sequence[float], key: str, ttl: float | None = None) -> None:
        """Remember that ``key`` answers a prompt embedded as ``vector`` (re-adding replaces it)."""
        ...

    async def nearest(self, scope: str, vector: Sequence[float]) -> tuple[str, float] | None:
        """The key of the most similar live vector in ``scope`` and its similarity, or ``None``."""
        ...

    async def aclose(self) -> None:
        """Release what the adapter opened. Idempotent."""
        ...
