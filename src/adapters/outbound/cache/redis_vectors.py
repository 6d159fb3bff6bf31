"""RedisVectorIndex: prompt vectors in plain Redis (no search module), scanned per scope.

Per scope, a hash holds the vectors (float32, little-endian) and a sorted set their expiry
times; both keys share a hash tag, so the scripts work on a cluster too. A lookup fetches the
scope's live vectors in one script call and compares them here.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from typing import Any

from switchboard.domain.caching.vectors import best_match, unit
from switchboard.domain.ports.clock import Clock

DEFAULT_PREFIX = "switchboard:semantic:"
DEFAULT_MAX_ENTRIES = 2_000  # per scope; Lua unpacks at most a few thousand values at once
_NEVER = 2**52  # the expiry score of an entry without ttl

# KEYS: vectors hash, expiry zset. ARGV: now_ms, member, vector, expires_ms, max_entries, never_ms.
_ADD = """
local gone = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
if #gone > 0 then
  redis.call('HDEL', KEYS[1], unpack(gone))
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if extra > 0 then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, extra - 1)
  redis.call('HDEL', KEYS[1], unpack(oldest))
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, extra - 1)
end
-- the scope lives as long as its longest-lived entry
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
for _, key in ipairs(KEYS) do
  if tonumber(last[2]) >= tonumber(ARGV[6]) then
    redis.call('PERSIST', key)
  else
    -- relative to our clock (as the scores are), not to Redis's
    redis.call('PEXPIRE', key, math.max(1, tonumber(last[2]) - tonumber(ARGV[1])))
  end
end
return 1
"""

# KEYS: vectors hash, expiry zset. ARGV: now_ms. Returns {members, vectors}.
_LIVE = """
local members = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[1], '+inf')
if #members == 0 then return {{}, {}} end
return {members, redis.call('HMGET', KEYS[1], unpack(members))}
"""


def pack(vector: Sequence[float]) -> bytes:
    return struct.pack(f"<{len(vector)}f", *vector)


def unpack(raw: bytes) -> tuple[float, ...]:
    return struct.unpack(f"<{len(raw) // 4}f", raw)


class RedisVectorIndex:
    """Vectors shared by every gateway instance; at most ``max_entries`` per scope (oldest added
    dropped first). Scope keys expire with their longest-lived entry."""

    def __init__(
        self,
        client: Any,
        clock: Clock,
        *,
        prefix: str = DEFAULT_PREFIX,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        owns_client: bool = False,
    ) -> None:
        self._client = client
        self._clock = clock
        self._prefix = prefix
        self._max_entries = max_entries
        self._owns_client = owns_client
        self._add = client.register_script(_ADD)
        self._live = client.register_script(_LIVE)

    def _keys(self, scope: str) -> list[str]:
        base = f"{self._prefix}{{{scope}}}"
        return [f"{base}:vectors", f"{base}:expiry"]

    async def add(self, scope: str, vector: Sequence[float], key: str, ttl: float | None = None) -> None:
        now_ms = int(self._clock.now() * 1000)
        expires = _NEVER if ttl is None else now_ms + max(1, math.ceil(ttl * 1000))
        args = [now_ms, key, pack(unit(vector)), expires, self._max_entries, _NEVER]
        await self._add(keys=self._keys(scope), args=args)

    async def nearest(self, scope: str, vector: Sequence[float]) -> tuple[str, float] | None:
        members, vectors = await self._live(keys=self._keys(scope), args=[int(self._clock.now() * 1000)])
        candidates = [
            (member.decode() if isinstance(member, bytes) else str(member), unpack(raw))
            for member, raw in zip(members, vectors, strict=True)
            if raw is not None
        ]
        return best_match(unit(vector), candidates)

    async def aclose(self) -> None:
        if self._owns_client:
            self._owns_client = False
            await self._client.aclose()
