"""Stored Responses API responses in this process's memory, for a gateway without a database:
bounded (``MEMORY_LIMIT``, the oldest go first), lost on restart, not shared between instances.
The database's store is ``adapters/outbound/persistence/responses.py``."""

from __future__ import annotations

from collections import OrderedDict

from switchboard.domain.ports.responses import ResponseStore, StoredResponse

MEMORY_LIMIT = 10_000
"""How many responses ``MemoryResponseStore`` keeps by default; past it, the oldest are forgotten."""


class MemoryResponseStore(ResponseStore):
    """Responses in memory, at most ``limit`` of them (the oldest go first), lost on restart and
    not shared between instances."""

    def __init__(self, limit: int = MEMORY_LIMIT) -> None:
        self._limit = limit
        self._items: OrderedDict[tuple[str, str], StoredResponse] = OrderedDict()

    async def put(self, stored: StoredResponse) -> None:
        key = (stored.id, stored.owner)
        self._items.pop(key, None)
        self._items[key] = stored
        while len(self._items) > self._limit:
            self._items.popitem(last=False)

    async def get(self, response_id: str, owner: str, now: float) -> StoredResponse | None:
        stored = self._items.get((response_id, owner))
        return stored if stored is not None and stored.live(now) else None

    async def delete(self, response_id: str, owner: str) -> bool:
        return self._items.pop((response_id, owner), None) is not None

    async def purge(self, now: float) -> int:
        expired = [key for key, stored in self._items.items() if not stored.live(now)]
        for key in expired:
            del self._items[key]
        return len(expired)
