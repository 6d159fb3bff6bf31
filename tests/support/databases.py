"""Databases for tests: a migrated SQLite file, and a private PostgreSQL schema per run."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg

from switchboard.adapters.outbound.persistence.database import Database
from switchboard.adapters.outbound.persistence.migrate import upgrade_sync

TABLES = (
    "sb_responses",
    "sb_spend_logs",
    "sb_audit_log",
    "sb_team_members",
    "sb_keys",
    "sb_teams",
    "sb_users",
    "sb_organizations",
    "sb_budgets",
    "sb_end_users",
    "sb_models",
)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def migrated_sqlite(path: Path) -> Path:
    upgrade_sync(sqlite_url(path))
    return path


def copy_sqlite(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return sqlite_url(target)


def _run(work: Coroutine[Any, Any, None]) -> None:
    with ThreadPoolExecutor(1) as pool:  # callers may be inside a running event loop
        pool.submit(asyncio.run, work).result()


@contextmanager
def postgres_schema(base_url: str, *, migrate: bool = True) -> Iterator[str]:
    """A fresh schema on the test server (migrated unless told not to); yields a database URL
    that selects it (``?schema=``); drops it afterwards."""
    schema = f"sb_test_{uuid.uuid4().hex[:12]}"
    dsn = base_url

    async def run(sql: str) -> None:
        connection = await asyncpg.connect(dsn)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    _run(run(f'CREATE SCHEMA "{schema}"'))
    url = f"{base_url}?schema={schema}"
    try:
        if migrate:
            upgrade_sync(url)
        yield url
    finally:
        _run(run(f'DROP SCHEMA "{schema}" CASCADE'))


async def truncate(db: Database) -> None:
    async with db.engine.begin() as connection:  # DELETE: far quicker than TRUNCATE on tiny tables
        for table in TABLES:
            await connection.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
