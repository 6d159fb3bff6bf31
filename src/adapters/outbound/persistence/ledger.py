"""The spend ledger in SQL: rows and the spend totals they move, in one transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import func, update
from sqlalchemy import select as sql_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.adapters.outbound.persistence.database import Database
from switchboard.adapters.outbound.persistence.filtering import S, matching
from switchboard.adapters.outbound.persistence.mapping import clean_text, nanos, to_entity
from switchboard.adapters.outbound.persistence.tables import (
    SPEND_TABLE,
    BudgetColumns,
    BudgetRow,
    EndUserRow,
    KeyRow,
    OrgRow,
    SpendQuarantineRow,
    SpendRow,
    TeamRow,
    UserRow,
)
from switchboard.domain.governance.counters import to_dollars
from switchboard.domain.governance.durations import parse_period, period_end
from switchboard.domain.governance.entities import Page
from switchboard.domain.governance.filters import SpendFilter
from switchboard.domain.governance.limits import ScopeKind
from switchboard.domain.governance.records import SpendGroup, SpendRecord
from switchboard.domain.ports.spend import GroupBy

_GROUP_COLUMNS: dict[str, str] = {
    "key": "key_hash",
    "user": "user_id",
    "team": "team_id",
    "org": "organization_id",
    "end_user": "end_user",
    "model": "model_group",
    "day": "day",
}
# Entity tables whose spend a row moves: (row field, table, primary key column).
_TOTALS: tuple[tuple[str, type[BudgetColumns], str], ...] = (
    ("key_hash", KeyRow, "token"),
    ("user_id", UserRow, "user_id"),
    ("team_id", TeamRow, "team_id"),
    ("organization_id", OrgRow, "organization_id"),
)
_OWNERS: dict[ScopeKind, tuple[type[BudgetColumns], str]] = {
    ScopeKind.KEY: (KeyRow, "token"),
    ScopeKind.USER: (UserRow, "user_id"),
    ScopeKind.TEAM: (TeamRow, "team_id"),
    ScopeKind.ORG: (OrgRow, "organization_id"),
    ScopeKind.END_USER: (EndUserRow, "user_id"),
}


def _epoch(at: datetime | None) -> float | None:
    if at is None:
        return None
    return (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).timestamp()


_RESETTABLE: tuple[tuple[type[BudgetColumns], str], ...] = (
    (KeyRow, "token"),
    (UserRow, "user_id"),
    (TeamRow, "team_id"),
    (OrgRow, "organization_id"),
    (EndUserRow, "user_id"),
)


# The spend table's columns in the order the batch insert writes them.
_COLUMNS: tuple[str, ...] = (
    "id",
    "request_id",
    "started_at",
    "day",
    "key_hash",
    "key_alias",
    "user_id",
    "team_id",
    "organization_id",
    "end_user",
    "call_type",
    "model_group",
    "deployment_id",
    "provider",
    "model",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "cost_nanos",
    "latency_ms",
    "ttft_ms",
    "status",
    "error_code",
    "cache_hit",
    "tags",
)


def _values(r: SpendRecord) -> list[Any]:
    """A row's values in ``_COLUMNS`` order, before the dialect's type processing."""
    return [
        r.id,
        clean_text(r.request_id),
        r.started_at,
        r.day,
        r.key_hash,
        clean_text(r.key_alias),
        clean_text(r.user_id),
        clean_text(r.team_id),
        clean_text(r.organization_id),
        clean_text(r.end_user),
        clean_text(r.call_type),
        clean_text(r.model_group),
        clean_text(r.deployment_id),
        clean_text(r.provider),
        clean_text(r.model),
        r.prompt_tokens,
        r.completion_tokens,
        r.total_tokens,
        nanos(r.cost),
        r.latency_ms,
        r.ttft_ms,
        r.status,
        clean_text(r.error_code),
        r.cache_hit,
        orjson.dumps([clean_text(t) for t in r.tags]).decode(),  # JSON text, written as is everywhere
    ]


class _BatchInsert:
    """Spend rows written at the driver level: SQLAlchemy's per-row work (building, compiling and
    processing an ``INSERT ... RETURNING`` for every batch) cost more CPU than the database did.

    The values still pass through each column type's own bind processor, so a row is stored
    exactly as SQLAlchemy would store it and reads back the same through the ORM.
    """

    def __init__(self, connection: Any) -> None:
        dialect = connection.dialect
        table = SpendRow.metadata.tables[SPEND_TABLE]
        self._postgres = dialect.name == "postgresql"
        processors = (
            (index, table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
            for index, name in enumerate(_COLUMNS)
            if name != "tags"
        )
        self._process = [(index, process) for index, process in processors if process is not None]
        columns = ", ".join(_COLUMNS)
        # Statements built from the table's own constant column names; every value is bound.
        if self._postgres:
            casts = ", ".join(f"${i}::{_PG_ARRAYS[name]}[]" for i, name in enumerate(_COLUMNS, 1))
            picks = ", ".join(f"{name}::json" if name == "tags" else name for name in _COLUMNS)
            self._sql = (
                f"INSERT INTO {table.name} ({columns}) SELECT {picks} FROM unnest({casts}) AS t({columns}) "  # noqa: S608
                "ON CONFLICT (id) DO NOTHING RETURNING id"
            )
        else:
            self._head = f"INSERT INTO {table.name} ({columns}) VALUES "  # noqa: S608
            self._marks = "(" + ", ".join("?" for _ in _COLUMNS) + ")"
            self._tail = " ON CONFLICT (id) DO NOTHING RETURNING id"

    def _processed(self, record: SpendRecord) -> tuple[Any, ...]:
        values = _values(record)
        for index, process in self._process:
            if values[index] is not None:
                values[index] = process(values[index])
        return tuple(values)

    async def run(self, connection: Any, rows: Sequence[SpendRecord]) -> set[str]:
        """Insert ``rows``; the ids of those that were not stored before."""
        if self._postgres:
            columns = list(zip(*(self._processed(r) for r in rows), strict=True))
            result = await connection.exec_driver_sql(self._sql, tuple(list(c) for c in columns))
            return {i for (i,) in result.all()}
        # SQLite: one multi-row INSERT per slice, so the driver binds every value at once and
        # the database thread runs one statement (executemany would bind row by row, taking
        # the interpreter lock back from the event loop for each row).
        fresh: set[str] = set()
        for start in range(0, len(rows), _SQLITE_ROWS):
            part = rows[start : start + _SQLITE_ROWS]
            sql = self._head + ", ".join([self._marks] * len(part)) + self._tail
            values = [value for r in part for value in self._processed(r)]
            result = await connection.exec_driver_sql(sql, tuple(values))
            fresh.update(i for (i,) in result.all())
        return fresh


_REQUEST_ID, _REASON, _OWNER = 128, 256, 256  # the widths of the columns a quarantined row's values go to


def _kept(record: SpendRecord) -> str:
    """The whole row as JSON text, without NUL (PostgreSQL text cannot hold it)."""
    return orjson.dumps(record.model_dump(mode="json")).decode().replace("\\u0000", "")


def _fitted(record: SpendRecord) -> SpendRecord:
    """The row with the ids its totals are keyed by cut to their columns' width: an end user's
    spend lands on the first 256 characters of an id too long to store."""
    end_user = clean_text(record.end_user)
    if end_user is not None and len(end_user) > _OWNER:
        return record.model_copy(update={"end_user": end_user[:_OWNER]})
    return record


# 25 values a row: within the 32,766 bound parameters of every SQLite that has RETURNING (3.35+).
_SQLITE_ROWS = 1000


# PostgreSQL array types of the columns, for the ``unnest`` of a batch.
_PG_ARRAYS: dict[str, str] = {
    **dict.fromkeys(_COLUMNS, "text"),
    "started_at": "timestamptz",
    "prompt_tokens": "integer",
    "completion_tokens": "integer",
    "total_tokens": "integer",
    "cost_nanos": "bigint",
    "latency_ms": "double precision",
    "ttft_ms": "double precision",
    "cache_hit": "boolean",
}


def _filtered(statement: S, filters: SpendFilter) -> S:
    statement = matching(statement, SpendRow, filters, skip=frozenset({"start", "end"}))
    if filters.start is not None:
        statement = statement.where(col(SpendRow.started_at) >= filters.start)
    if filters.end is not None:
        statement = statement.where(col(SpendRow.started_at) < filters.end)
    return statement


class SqlSpendLedger:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._batch: _BatchInsert | None = None

    def _insert(self) -> Any:
        dialect = postgresql if self._db.dialect == "postgresql" else sqlite
        return dialect.insert

    async def record(self, rows: Sequence[SpendRecord], *, keep_rows: bool = True) -> int:
        if not rows:
            return 0
        by_id = {r.id: r for r in rows}
        async with self._db.transaction() as session:
            if keep_rows:
                connection = await session.connection()
                if self._batch is None:
                    self._batch = _BatchInsert(connection)
                new_ids = await self._batch.run(connection, list(by_id.values()))
                fresh = [by_id[i] for i in new_ids]
            else:
                fresh = list(by_id.values())
            await self._add_totals(session, fresh)
        return len(fresh)

    async def quarantine(self, rows: Sequence[SpendRecord], reason: str) -> int:
        async with self._db.transaction() as session:
            connection = await session.connection()
            now = datetime.now(UTC)
            fresh: list[SpendRecord] = []
            for r in rows:
                statement = (
                    self._insert()(SpendQuarantineRow)
                    .values(
                        id=r.id,
                        request_id=(clean_text(r.request_id) or "")[:_REQUEST_ID],
                        quarantined_at=now,
                        reason=(clean_text(reason) or "")[:_REASON],
                        row=_kept(r),
                    )
                    .on_conflict_do_nothing(index_elements=["id"])
                )
                if (await connection.execute(statement)).rowcount:
                    fresh.append(r)
            await self._add_totals(session, [_fitted(r) for r in fresh])
        return len(fresh)

    async def _add_totals(self, session: AsyncSession, rows: Sequence[SpendRecord]) -> None:
        for field, table, key in _TOTALS:
            sums: dict[str, int] = defaultdict(int)
            for r in rows:
                owner = getattr(r, field)
                if owner and r.cost:
                    sums[owner] += nanos(r.cost)
            for owner in sorted(sums):  # one lock order everywhere: no deadlocks between instances
                column = getattr(table, key)
                spend = table.spend_nanos
                await session.exec(update(table).where(col(column) == owner).values(spend_nanos=spend + sums[owner]))
        end_users: dict[str, int] = defaultdict(int)
        for r in rows:
            if r.end_user:
                end_users[clean_text(r.end_user) or ""] += nanos(r.cost)
        now = datetime.now(UTC)
        for user in sorted(end_users):
            statement = self._insert()(EndUserRow).values(
                user_id=user, spend_nanos=end_users[user], created_at=now, updated_at=now, metadata={}
            )
            statement = statement.on_conflict_do_update(
                index_elements=["user_id"],
                set_={"spend_nanos": EndUserRow.spend_nanos + statement.excluded.spend_nanos},
            )
            await session.exec(statement)

    async def spend_of(self, kind: ScopeKind, owner: str) -> tuple[float, float | None]:
        table, key = _OWNERS[kind]
        query = sql_select(col(table.spend_nanos), col(table.budget_reset_at)).where(col(getattr(table, key)) == owner)
        async with self._db.session() as session:
            connection = await session.connection()
            found = (await connection.execute(query)).first()
        if found is None:
            return 0.0, None
        spend, reset_at = found
        return to_dollars(int(spend or 0)), _epoch(reset_at)

    async def logs(self, filters: SpendFilter, page: int, size: int) -> Page[SpendRecord]:
        page, size = max(1, page), max(1, size)
        async with self._db.session() as session:
            total = (await session.exec(_filtered(select(func.count()).select_from(SpendRow), filters))).one()
            query = _filtered(select(SpendRow), filters).order_by(
                col(SpendRow.started_at).desc(), col(SpendRow.id).desc()
            )
            rows = (await session.exec(query.offset((page - 1) * size).limit(size))).all()
        items = [to_entity(r, SpendRecord) for r in rows]
        return Page[SpendRecord](items=items, total=int(total), page=page, size=size)

    async def report(self, group_by: GroupBy, filters: SpendFilter) -> list[SpendGroup]:
        column = getattr(SpendRow, _GROUP_COLUMNS[group_by])
        spend = func.coalesce(func.sum(SpendRow.cost_nanos), 0)
        # SQLAlchemy's own select: sqlmodel's typed one takes at most four columns
        query = sql_select(
            column,
            spend,
            func.count(),
            func.coalesce(func.sum(SpendRow.prompt_tokens), 0),
            func.coalesce(func.sum(SpendRow.completion_tokens), 0),
        )
        query = _filtered(query, filters).group_by(column).order_by(spend.desc(), column)
        async with self._db.session() as session:
            connection = await session.connection()
            rows = (await connection.execute(query)).all()
        return [
            SpendGroup(
                group=g,
                spend=to_dollars(int(s)),
                requests=int(n),
                prompt_tokens=int(p),
                completion_tokens=int(c),
            )
            for g, s, n, p, c in rows
        ]

    async def reset_budgets(self, now: datetime) -> int:
        reset = 0
        async with self._db.transaction() as session:
            templates = {b.budget_id: b.budget_duration for b in (await session.exec(select(BudgetRow))).all()}
            for table, key in _RESETTABLE:
                due = (await session.exec(select(table).where(col(table.budget_reset_at) <= now))).all()
                for row in due:
                    duration = row.budget_duration or templates.get(row.budget_id or "")
                    old = row.budget_reset_at
                    if old is None:  # not due: the query asked for a reset time
                        continue
                    new = (
                        datetime.fromtimestamp(
                            period_end(old.timestamp(), parse_period(duration), now.timestamp()), UTC
                        )
                        if duration
                        else None
                    )
                    # Guarded by the old value: when instances race, one of them resets.
                    result = await session.exec(
                        update(table)
                        .where(col(getattr(table, key)) == getattr(row, key))
                        .where(col(table.budget_reset_at) == old)
                        .values(spend_nanos=0, budget_reset_at=new)
                    )
                    reset += result.rowcount or 0
        return reset
