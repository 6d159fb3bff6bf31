"""The database connection: URLs as LiteLLM users write them, an async engine, sessions whose
connection failures become ``ServiceUnavailable`` (503 ``database_unavailable``), never a
crash and never a 401."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.domain.errors import ServiceUnavailable

log = logging.getLogger(__name__)

DEFAULT_URL = "sqlite:///./switchboard.db"
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
}


@dataclass(frozen=True)
class DatabaseUrl:
    """An async SQLAlchemy URL, plus what the driver takes separately (the schema)."""

    url: str
    schema: str | None = None
    connect_args: dict[str, Any] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


def parse_database_url(raw: str) -> DatabaseUrl:
    """``sqlite:///./x.db`` and ``postgresql://u:p@h/db?schema=s&sslmode=require`` as async URLs.

    ``schema`` (Prisma's spelling, which LiteLLM users have in their URLs) becomes the
    PostgreSQL ``search_path``; ``sslmode`` becomes asyncpg's ``ssl``.
    """
    scheme, sep, rest = raw.partition("://")
    if not sep:
        raise ValueError("a database URL looks like sqlite:///./switchboard.db or postgresql://user@host/db")
    scheme = _ASYNC_DRIVERS.get(scheme, scheme)
    if scheme.startswith("sqlite"):
        return DatabaseUrl(url=f"{scheme}://{rest}", connect_args={"timeout": 15})
    parts = urlsplit(f"{scheme}://{rest}")
    query = dict(parse_qsl(parts.query))
    schema = query.pop("schema", None) or query.pop("search_path", None)
    connect_args: dict[str, Any] = {}
    if scheme.startswith("postgresql+asyncpg"):
        if "sslmode" in query:
            query["ssl"] = query.pop("sslmode")
        settings: dict[str, str] = {"application_name": "switchboard"}
        if schema:
            settings["search_path"] = schema
        connect_args = {"server_settings": settings, "timeout": 5, "command_timeout": 15}
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))
    return DatabaseUrl(url=url, schema=schema, connect_args=connect_args)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the spend writer
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def create_engine_for(url: DatabaseUrl, **options: Any) -> AsyncEngine:
    if url.is_sqlite:
        engine = create_async_engine(url.url, connect_args=url.connect_args, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url.url,
        connect_args=url.connect_args,
        pool_size=options.pop("pool_size", 10),
        max_overflow=options.pop("max_overflow", 10),
        pool_timeout=options.pop("pool_timeout", 5),
        pool_pre_ping=True,
        **options,
    )


# Failures that mean "the database cannot be reached or did not answer", not "the query was wrong".
_UNREACHABLE: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncio.TimeoutError,
    exc.OperationalError,
    exc.InterfaceError,
    exc.TimeoutError,
    exc.DisconnectionError,
)


def unavailable() -> ServiceUnavailable:
    return ServiceUnavailable(
        "The gateway's database is unavailable; try again shortly.",
        code="database_unavailable",
        retry_after=5,
    )


def is_unreachable(error: BaseException) -> bool:
    if isinstance(error, _UNREACHABLE):
        return True
    return isinstance(error, exc.DBAPIError) and bool(error.connection_invalidated)


class Database:
    """An engine and its sessions. ``session()`` reads; ``transaction()`` commits on success."""

    def __init__(self, url: str | DatabaseUrl, **options: Any) -> None:
        self.url = url if isinstance(url, DatabaseUrl) else parse_database_url(url)
        self.engine = create_engine_for(self.url, **options)
        self._sessions = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        try:
            async with self._sessions() as session:
                yield session
        except BaseException as error:
            if is_unreachable(error):
                log.warning("database unreachable: %s", type(error).__name__)
                raise unavailable() from error
            raise

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        try:
            async with self._sessions() as session, session.begin():
                yield session
        except BaseException as error:
            if is_unreachable(error):
                log.warning("database unreachable: %s", type(error).__name__)
                raise unavailable() from error
            raise

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as connection:
                await connection.exec_driver_sql("SELECT 1")
            return True
        except Exception:
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()
