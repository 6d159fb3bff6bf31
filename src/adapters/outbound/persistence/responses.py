"""Stored Responses API responses (``domain.ports.responses.ResponseStore``): in the governance
database (``SqlResponseStore``, table ``sb_responses``: shared by every gateway instance), or in
this process's memory when there is no database (``MemoryResponseStore``, bounded)."""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy import delete
from sqlmodel import col, select

from switchboard.adapters.outbound.persistence.database import Database
from switchboard.adapters.outbound.persistence.tables import ResponseRow
from switchboard.domain.ports.responses import StoredResponse

MEMORY_LIMIT = 10_000
"""How many responses ``MemoryResponseStore`` keeps by default; past it, the oldest are forgotten."""


def _live(stored: StoredResponse, now: float) -> bool:
    return stored.expires_at is None or stored.expires_at > now


class MemoryResponseStore:
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
        return stored if stored is not None and _live(stored, now) else None

    async def delete(self, response_id: str, owner: str) -> bool:
        return self._items.pop((response_id, owner), None) is not None

    async def purge(self, now: float) -> int:
        expired = [key for key, stored in self._items.items() if not _live(stored, now)]
        for key in expired:
            del self._items[key]
        return len(expired)


class SqlResponseStore:
    """Responses in ``sb_responses``, keyed by id and owner: another key's lookup finds nothing."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def put(self, stored: StoredResponse) -> None:
        row = ResponseRow(
            id=stored.id,
            owner=stored.owner,
            team_id=stored.team_id,
            response=stored.response,
            input_items=stored.input_items,
            created_at=stored.created_at,
            expires_at=stored.expires_at,
        )
        async with self._db.transaction() as session:
            await session.merge(row)

    async def get(self, response_id: str, owner: str, now: float) -> StoredResponse | None:
        async with self._db.session() as session:
            row = (
                await session.exec(
                    select(ResponseRow).where(col(ResponseRow.id) == response_id, col(ResponseRow.owner) == owner)
                )
            ).first()
        if row is None:
            return None
        stored = StoredResponse(
            id=row.id,
            owner=row.owner,
            team_id=row.team_id,
            response=dict(row.response),
            input_items=list(row.input_items),
            created_at=row.created_at,
            expires_at=row.expires_at,
        )
        return stored if _live(stored, now) else None

    async def delete(self, response_id: str, owner: str) -> bool:
        async with self._db.transaction() as session:
            result = await session.exec(
                delete(ResponseRow).where(col(ResponseRow.id) == response_id, col(ResponseRow.owner) == owner)
            )
        return bool(result.rowcount)

    async def purge(self, now: float) -> int:
        async with self._db.transaction() as session:
            result = await session.exec(
                delete(ResponseRow).where(col(ResponseRow.expires_at).is_not(None), col(ResponseRow.expires_at) <= now)
            )
        return int(result.rowcount or 0)
