"""Schema migrations (Alembic, packaged with the code): ``switchboard db upgrade`` and the
gateway's start-up run ``upgrade``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config

from adapters.outbound.persistence.database import DatabaseUrl, parse_database_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | DatabaseUrl) -> Config:
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
    _off_loop(lambda: command.upgrade(alembic_config(url), revision))


def downgrade_sync(url: str | DatabaseUrl, revision: str) -> None:
    _off_loop(lambda: command.downgrade(alembic_config(url), revision))


async def upgrade(url: str | DatabaseUrl, revision: str = "head") -> None:
    """``upgrade_sync`` off the event loop (Alembic drives its own loop)."""
    await asyncio.to_thread(lambda: command.upgrade(alembic_config(url), revision))
