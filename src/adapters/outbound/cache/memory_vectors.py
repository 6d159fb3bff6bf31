"""InMemoryVectorIndex: prompt vectors in this process, compared one by one."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from switchboard.domain.caching.vectors import best_match, unit
from switchboard.domain.ports.clock import Clock

DEFAULT_MAX_ENTRIES = 10_000


class InMemoryVectorIndex:
    """Unit vectors per scope; at most ``max_entries`` in all, the oldest added dropped first.

    A lookup compares the query with every live vector of its scope: its cost grows with the
    scope's size (about a microsecond per thousand dimensions per vector in CPython).
    """

    __slots__ = ("_clock", "_max_entries", "_order", "_scopes")

    def __init__(self, clock: Clock, *, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self._clock = clock
        self._max_entries = max_entries
        self._scopes: dict[str, dict[str, tuple[tuple[float, ...], float | None]]] = {}
        self._order: OrderedDict[tuple[str, str], None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._order)

    async def add(self, scope: str, vector: Sequence[float], key: str, ttl: float | None = None) -> None:
        expires = None if ttl is None else self._clock.monotonic() + ttl
        self._scopes.setdefault(scope, {})[key] = (unit(vector), expires)
        self._order[(scope, key)] = None
        self._order.move_to_end((scope, key))
        while len(self._order) > self._max_entries:
            self._remove(*next(iter(self._order)))

    async def nearest(self, scope: str, vector: Sequence[float]) -> tuple[str, float] | None:
        entries = self._scopes.get(scope)
        if not entries:
            return None
        now = self._clock.monotonic()
        expired = [key for key, (_, expires) in entries.items() if expires is not None and expires <= now]
        for key in expired:
            self._remove(scope, key)
        return best_match(unit(vector), [(key, stored) for key, (stored, _) in entries.items()])

    async def aclose(self) -> None:
        self._scopes.clear()
        self._order.clear()

    def _remove(self, scope: str, key: str) -> None:
        self._order.pop((scope, key), None)
        entries = self._scopes.get(scope)
        if entries is not None:
            entries.pop(key, None)
            if not entries:
                del self._scopes[scope]
