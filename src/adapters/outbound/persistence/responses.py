"""Stored Responses API responses (``domain.ports.responses.ResponseStore``) in the governance
database (table ``sb_responses``: shared by every gateway instance). Without a database they
live in memory: ``adapters/outbound/state/responses_memory.py``."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import col, select

from switchboard.adapters.outbound.persistence.database import Database
from switchboard.adapters.outbound.persistence.tables import ResponseRow
from switchboard.domain.ports.responses import ResponseStore, StoredResponse


class SqlResponseStore(ResponseStore):
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
        return stored if stored.live(now) else None

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
