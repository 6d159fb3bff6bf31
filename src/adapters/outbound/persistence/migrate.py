"""Schema migrations (Alembic, packaged with the code): ``switchboard db upgrade`` and the
gateway's start-up run ``upgrade``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import String, column, select, table

from switchboard.adapters.outbound.persistence.database import Database, DatabaseUrl, parse_database_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration's revision id; a test checks it against Alembic's own idea of head.
HEAD_REVISION = "0003"
VERSION_TABLE = "sb_alembic_version"


def alembic_config(url: str | DatabaseUrl) -> Config:
    from alembic.config import Config  # lazy: Alembic, only when a migration runs

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = url if isinstance(url, DatabaseUrl) else parse_database_url(url)
    return config


def _off_loop(work: Callable[[], None]) -> None:
    """Alembic's environment runs its own event loop; inside a running one, use a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        work()
        return
    with ThreadPoolExecutor(1) as pool:
        pool.submit(work).result()


def upgrade_sync(url: str | DatabaseUrl, revision: str = "head") -> None:
    """Bring the schema to ``revision``."""
    from alembic import command  # lazy: Alembic, only when a migration runs

    _off_loop(lambda: command.upgrade(alembic_config(url), revision))


def downgrade_sync(url: str | DatabaseUrl, revision: str) -> None:
    from alembic import command  # lazy: Alembic, only when a migration runs

    _off_loop(lambda: command.downgrade(alembic_config(url), revision))


async def upgrade(url: str | DatabaseUrl, revision: str = "head") -> None:
    """``upgrade_sync`` off the event loop (Alembic drives its own loop)."""
    from alembic import command  # lazy: Alembic, only when a migration runs

    await asyncio.to_thread(lambda: command.upgrade(alembic_config(url), revision))


async def at_head(url: str | DatabaseUrl) -> bool:
    """Whether the database's schema is already at ``HEAD_REVISION`` (then Alembic, ~10 MB
    and a second of start-up, need not load). Any doubt answers ``False``."""
    db = Database(url)
    try:
        async with db.engine.connect() as connection:
            query = select(column("version_num", String)).select_from(table(VERSION_TABLE))
            version = (await connection.execute(query)).scalar()
        return bool(version == HEAD_REVISION)
    except Exception:  # no table yet, no database yet, unreachable: let Alembic decide
        return False
    finally:
        await db.dispose()
