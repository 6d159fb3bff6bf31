"""The ResponseStore kit: every adapter (memory, SQLite, PostgreSQL) keeps the same promises."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from switchboard.adapters.outbound.persistence.database import Database
from switchboard.adapters.outbound.persistence.responses import SqlResponseStore
from switchboard.adapters.outbound.state.responses_memory import MemoryResponseStore
from switchboard.domain.ports.responses import ResponseStore, StoredResponse
from tests.support.databases import copy_sqlite, truncate


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def responses(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ResponseStore]:
    if request.param == "memory":
        yield MemoryResponseStore()
        return
    if request.param == "sqlite":
        db = Database(copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "store.db"))
    else:
        db = Database(request.getfixturevalue("postgres_store_url"))
        await truncate(db)
    try:
        yield SqlResponseStore(db)
    finally:
        await db.dispose()


def stored(response_id: str = "resp_1", owner: str = "key-a", expires_at: float | None = 2000.0) -> StoredResponse:
    return StoredResponse(
        id=response_id,
        owner=owner,
        team_id="team-1",
        response={"id": response_id, "object": "response", "output": [{"type": "message", "content": "é ✓"}]},
        input_items=[{"role": "user", "content": "hi"}],
        created_at=1000.0,
        expires_at=expires_at,
    )


async def test_a_stored_response_reads_back_whole(responses: ResponseStore) -> None:
    await responses.put(stored())
    assert await responses.get("resp_1", "key-a", now=1500.0) == stored()


async def test_another_key_never_finds_it(responses: ResponseStore) -> None:
    await responses.put(stored())
    assert await responses.get("resp_1", "key-b", now=1500.0) is None
    assert await responses.delete("resp_1", "key-b") is False
    assert await responses.get("resp_1", "key-a", now=1500.0) is not None


async def test_an_expired_response_is_not_found_and_purge_forgets_it(responses: ResponseStore) -> None:
    await responses.put(stored("resp_old", expires_at=1200.0))
    await responses.put(stored("resp_new", expires_at=None))
    assert await responses.get("resp_old", "key-a", now=1200.0) is None
    assert await responses.purge(now=1200.0) == 1
    assert await responses.get("resp_new", "key-a", now=10**9) is not None


async def test_delete_forgets_and_says_so_once(responses: ResponseStore) -> None:
    await responses.put(stored())
    assert await responses.delete("resp_1", "key-a") is True
    assert await responses.delete("resp_1", "key-a") is False
    assert await responses.get("resp_1", "key-a", now=1500.0) is None


async def test_putting_the_same_id_again_replaces_it(responses: ResponseStore) -> None:
    await responses.put(stored())
    changed = dataclasses.replace(stored(), input_items=[])
    await responses.put(changed)
    found = await responses.get("resp_1", "key-a", now=1500.0)
    assert found is not None and found.input_items == []


async def test_the_memory_store_keeps_at_most_its_limit_oldest_out_first() -> None:
    memory = MemoryResponseStore(limit=2)
    for n in range(3):
        await memory.put(stored(f"resp_{n}"))
    assert await memory.get("resp_0", "key-a", now=0.0) is None
    assert await memory.get("resp_2", "key-a", now=0.0) is not None
