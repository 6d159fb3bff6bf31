"""The governance store, on SQLite and on the real PostgreSQL: every kit here runs on both."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from switchboard.adapters.outbound.persistence.database import Database
from switchboard.application.governance.store import GovernanceStore
from switchboard.bootstrap.governance_store import build_store
from tests.support.databases import copy_sqlite, migrated_sqlite, postgres_schema, truncate


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_sqlite(tmp_path_factory.mktemp("db") / "template.db")


@pytest.fixture(scope="session")
def postgres_store_url(postgres_url: str) -> Iterator[str]:
    with postgres_schema(postgres_url) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        db = Database(copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "store.db"))
    else:
        db = Database(request.getfixturevalue("postgres_store_url"))
        await truncate(db)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
def store(database: Database) -> GovernanceStore:
    return build_store(database)
