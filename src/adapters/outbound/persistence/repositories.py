"""SQL repositories for the governance entities; every change commits with its audit entry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.adapters.outbound.persistence.database import Database
from switchboard.adapters.outbound.persistence.filtering import S, matching
from switchboard.adapters.outbound.persistence.mapping import audit_row, row_values, to_entity, to_row
from switchboard.adapters.outbound.persistence.secrets import SecretBox
from switchboard.adapters.outbound.persistence.tables import (
    AuditRow,
    BudgetRow,
    EndUserRow,
    KeyRow,
    ModelRow,
    OrgRow,
    TeamMemberRow,
    TeamRow,
    UserRow,
)
from switchboard.domain.governance.entities import (
    BudgetRecord,
    EndUser,
    ModelRecord,
    Organization,
    Page,
    Team,
    TeamMember,
    User,
    VirtualKey,
)
from switchboard.domain.governance.filters import (
    AuditFilter,
    BudgetFilter,
    EndUserFilter,
    KeyFilter,
    ModelFilter,
    OrgFilter,
    TeamFilter,
    UserFilter,
)
from switchboard.domain.governance.records import AuditEntry

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

E = TypeVar("E", bound=BaseModel)
R = TypeVar("R", bound=SQLModel)
F = TypeVar("F", bound="DataclassInstance")

# Fields a replace never touches: the ledger alone moves spend.
_KEEP_ON_REPLACE = frozenset({"spend_nanos", "created_at", "created_by"})


def _page_bounds(page: int, size: int) -> tuple[int, int]:
    page, size = max(1, page), max(1, size)
    return page, size


class SqlRepository(Generic[E, R, F]):
    """get / add / replace / delete / list for one entity type over one table."""

    entity: type[E]
    row: type[R]
    id_field: ClassVar[str]

    def __init__(self, db: Database) -> None:
        self._db = db

    def _id(self, entity: BaseModel) -> str:
        return str(getattr(entity, self.id_field))

    async def _entity(self, session: AsyncSession, row: Any) -> E:
        return to_entity(row, self.entity)

    async def _write_children(self, session: AsyncSession, entity: BaseModel) -> None:
        """Tables that hang off the entity (team members)."""

    async def _delete_children(self, session: AsyncSession, id: str) -> None:
        """Tables that hang off the entity (team members)."""

    async def get(self, id: str) -> E | None:
        async with self._db.session() as session:
            row = await session.get(self.row, id)
            return None if row is None else await self._entity(session, row)

    async def get_many(self, ids: Sequence[str]) -> list[E]:
        if not ids:
            return []
        async with self._db.session() as session:
            column = getattr(self.row, self.id_field)
            rows = (await session.exec(select(self.row).where(col(column).in_(list(ids))))).all()
            return [await self._entity(session, row) for row in rows]

    async def add(self, entity: E, audit: AuditEntry) -> bool:
        try:
            async with self._db.transaction() as session:
                if await session.get(self.row, self._id(entity)) is not None:
                    return False
                session.add(to_row(entity, self.row))
                await session.flush()  # the row before its children (foreign-key order)
                await self._write_children(session, entity)
                session.add(audit_row(audit))
            return True
        except IntegrityError:  # a concurrent add of the same id won
            return False

    async def replace(self, entity: E, audit: AuditEntry) -> bool:
        async with self._db.transaction() as session:
            row = await session.get(self.row, self._id(entity), with_for_update=True)
            if row is None:
                return False
            for name, value in row_values(entity, self.row, _KEEP_ON_REPLACE).items():
                setattr(row, name, value)
            session.add(row)
            await self._write_children(session, entity)
            session.add(audit_row(audit))
            return True

    async def delete(self, id: str, audit: AuditEntry) -> bool:
        async with self._db.transaction() as session:
            row = await session.get(self.row, id)
            if row is None:
                return False
            await self._delete_children(session, id)
            await session.delete(row)
            session.add(audit_row(audit))
            return True

    def _where(self, statement: S, filters: F) -> S:
        return matching(statement, self.row, filters)

    def _order(self) -> list[Any]:
        created = getattr(self.row, "created_at", None)
        key = getattr(self.row, self.id_field)
        return [col(created).asc(), col(key).asc()] if created is not None else [col(key).asc()]

    async def list(self, filters: F, page: int, size: int) -> Page[E]:
        page, size = _page_bounds(page, size)
        async with self._db.session() as session:
            query = self._where(select(self.row), filters)
            count = self._where(select(func.count()).select_from(self.row), filters)
            total = (await session.exec(count)).one()
            rows = (await session.exec(query.order_by(*self._order()).offset((page - 1) * size).limit(size))).all()
            items = [await self._entity(session, row) for row in rows]
        return Page[E](items=items, total=int(total), page=page, size=size)


class SqlKeyRepository(SqlRepository[VirtualKey, KeyRow, KeyFilter]):
    entity = VirtualKey
    row = KeyRow
    id_field = "token"

    async def rekey(self, old_token: str, key: VirtualKey, audit: AuditEntry) -> bool:
        async with self._db.transaction() as session:
            values = row_values(key, KeyRow, _KEEP_ON_REPLACE)
            result = await session.exec(update(KeyRow).where(col(KeyRow.token) == old_token).values(**values))
            if not result.rowcount:
                return False
            session.add(audit_row(audit))
            return True


class SqlTeamRepository(SqlRepository[Team, TeamRow, TeamFilter]):
    entity = Team
    row = TeamRow
    id_field = "team_id"

    async def _members(self, session: AsyncSession, team_id: str) -> list[TeamMember]:
        rows = (
            await session.exec(
                select(TeamMemberRow).where(TeamMemberRow.team_id == team_id).order_by(col(TeamMemberRow.user_id))
            )
        ).all()
        return [TeamMember(user_id=r.user_id, role=r.role) for r in rows]

    async def _entity(self, session: AsyncSession, row: Any) -> Team:
        return to_entity(row, Team, members=await self._members(session, row.team_id))

    async def _write_children(self, session: AsyncSession, entity: BaseModel) -> None:
        assert isinstance(entity, Team)
        await self._delete_children(session, entity.team_id)
        for member in entity.members:
            session.add(TeamMemberRow(team_id=entity.team_id, user_id=member.user_id, role=member.role.value))

    async def _delete_children(self, session: AsyncSession, id: str) -> None:
        await session.exec(delete(TeamMemberRow).where(col(TeamMemberRow.team_id) == id))

    def _where(self, statement: S, filters: TeamFilter) -> S:
        if filters.member is not None:
            teams = select(TeamMemberRow.team_id).where(col(TeamMemberRow.user_id) == filters.member)
            statement = statement.where(col(TeamRow.team_id).in_(teams))
        return matching(statement, TeamRow, filters, skip=frozenset({"member"}))

    async def teams_of(self, user_id: str) -> list[Team]:
        page = await self.list(TeamFilter(member=user_id), 1, 10_000)
        return page.items


class SqlUserRepository(SqlRepository[User, UserRow, UserFilter]):
    entity = User
    row = UserRow
    id_field = "user_id"

    async def delete(self, id: str, audit: AuditEntry) -> bool:
        async with self._db.transaction() as session:
            row = await session.get(UserRow, id)
            if row is None:
                return False
            # Memberships go with the user; keys stay (and stop working with no owner check).
            await session.exec(delete(TeamMemberRow).where(col(TeamMemberRow.user_id) == id))
            await session.delete(row)
            session.add(audit_row(audit))
            return True


class SqlOrgRepository(SqlRepository[Organization, OrgRow, OrgFilter]):
    entity = Organization
    row = OrgRow
    id_field = "organization_id"


class SqlBudgetRepository(SqlRepository[BudgetRecord, BudgetRow, BudgetFilter]):
    entity = BudgetRecord
    row = BudgetRow
    id_field = "budget_id"


class SqlEndUserRepository(SqlRepository[EndUser, EndUserRow, EndUserFilter]):
    entity = EndUser
    row = EndUserRow
    id_field = "user_id"


class SqlModelRepository(SqlRepository[ModelRecord, ModelRow, ModelFilter]):
    """Deployments added at run time; their credentials are sealed at rest when a ``SecretBox``
    is given (``adapters.outbound.persistence.secrets``)."""

    entity = ModelRecord
    row = ModelRow
    id_field = "model_id"

    def __init__(self, db: Database, box: SecretBox | None = None) -> None:
        super().__init__(db)
        self._box = box

    async def _entity(self, session: AsyncSession, row: Any) -> ModelRecord:
        record = await super()._entity(session, row)
        if self._box is None:
            return record
        return record.model_copy(update={"litellm_params": self._box.open_params(record.litellm_params)})

    def _sealed(self, record: ModelRecord) -> ModelRecord:
        if self._box is None:
            return record
        return record.model_copy(update={"litellm_params": self._box.seal_params(record.litellm_params)})

    async def add(self, entity: ModelRecord, audit: AuditEntry) -> bool:
        return await super().add(self._sealed(entity), audit)

    async def replace(self, entity: ModelRecord, audit: AuditEntry) -> bool:
        return await super().replace(self._sealed(entity), audit)


class SqlAuditLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def list(self, filters: AuditFilter, page: int, size: int) -> Page[AuditEntry]:
        page, size = _page_bounds(page, size)
        async with self._db.session() as session:
            query = matching(select(AuditRow), AuditRow, filters)
            count = matching(select(func.count()).select_from(AuditRow), AuditRow, filters)
            total = (await session.exec(count)).one()
            rows = (
                await session.exec(
                    query.order_by(col(AuditRow.at).desc(), col(AuditRow.id).desc())
                    .offset((page - 1) * size)
                    .limit(size)
                )
            ).all()
        items = [AuditEntry.model_validate(r.model_dump()) for r in rows]
        return Page[AuditEntry](items=items, total=int(total), page=page, size=size)
