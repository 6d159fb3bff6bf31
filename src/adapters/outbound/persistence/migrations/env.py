"""Alembic environment: runs the migrations on the URL handed in by ``migrate.upgrade``.

On PostgreSQL an advisory lock serialises instances that start together, so only one of them
migrates and the others find the work done.
"""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import pool
from sqlmodel import SQLModel

from switchboard.adapters.outbound.persistence import tables  # noqa: F401  (registers the tables)
from switchboard.adapters.outbound.persistence.database import DatabaseUrl, create_engine_for
from switchboard.adapters.outbound.persistence.migrate import VERSION_TABLE

_LOCK_ID = 7_362_514_002  # any constant; names this migration lock among advisory locks

config = context.config
target_metadata = SQLModel.metadata


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_ID})")
        context.run_migrations()


async def _online(url: DatabaseUrl) -> None:
    engine = create_engine_for(url, poolclass=pool.NullPool) if url.is_sqlite else create_engine_for(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


def main() -> None:
    url = config.attributes.get("database_url")
    if not isinstance(url, DatabaseUrl):
        raise RuntimeError("run migrations through `switchboard db upgrade`")
    if context.is_offline_mode():
        context.configure(url=url.url, target_metadata=target_metadata, version_table=VERSION_TABLE)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_online(url))


main()
