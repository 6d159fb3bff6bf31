"""Budget templates (``/budget/...``): named limits that keys, teams, organizations and end
users point at with ``budget_id``; their own limits, when set, win."""

from __future__ import annotations

from switchboard.application.governance.changes import Changes
from switchboard.application.governance.forms import BudgetFields, BudgetId, NewBudget, UpdateBudget, given
from switchboard.application.governance.kinds import Kind, Records
from switchboard.application.governance.store import GovernanceStore
from switchboard.domain.errors import BadRequest, PermissionDenied
from switchboard.domain.governance.entities import BudgetRecord, Page
from switchboard.domain.governance.filters import (
    BudgetFilter,
    EndUserFilter,
    KeyFilter,
    OrgFilter,
    TeamFilter,
    UserFilter,
)
from switchboard.domain.ports.invalidation import EVERYTHING
from switchboard.domain.principal import Principal

BUDGET = Kind[BudgetRecord]("budget", "budget", "budget", "budget_id", lambda b: b.budget_id)
_FIELDS = tuple(BudgetFields.model_fields)


def _reader(actor: Principal) -> None:
    if not actor.reads_everything:
        raise PermissionDenied("Only admins may read budgets.")


class BudgetService:
    def __init__(self, store: GovernanceStore, changes: Changes) -> None:
        self._store = store
        self._changes = changes
        self._budgets = Records(BUDGET, store.budgets, changes)

    async def _get(self, actor: Principal, budget_id: str) -> BudgetRecord:
        _reader(actor)
        return await self._budgets.get(budget_id)

    async def new(self, actor: Principal, form: NewBudget) -> BudgetRecord:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may create budgets.")
        now = self._changes.now()
        budget = BudgetRecord(
            budget_id=form.budget_id or self._changes.new_id("budget-"),
            created_at=now,
            updated_at=now,
            created_by=actor.actor,
            **given(form, *_FIELDS),
        )
        return await self._budgets.add(actor, budget)

    async def update(self, actor: Principal, form: UpdateBudget) -> BudgetRecord:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may change budgets.")
        budget = await self._get(actor, form.budget_id)
        changed = budget.model_copy(update={**given(form, *_FIELDS), "updated_at": self._changes.now()})
        updated = await self._budgets.replace(actor, "update", budget, changed)
        await self._changes.forget(EVERYTHING)
        return updated

    async def info(self, actor: Principal, id: str | None) -> BudgetRecord:
        if id is None:
            raise BadRequest("Missing required parameter: 'budget_id'.", param="budget_id")
        return await self._get(actor, id)

    async def info_many(self, actor: Principal, budget_ids: list[str]) -> list[BudgetRecord]:
        return [await self._get(actor, b) for b in budget_ids]

    async def find(self, actor: Principal, filters: BudgetFilter, page: int, size: int) -> Page[BudgetRecord]:
        _reader(actor)
        return await self._store.budgets.list(filters, page, size)

    async def _in_use(self, budget_id: str) -> bool:
        store = self._store
        counts = (
            await store.keys.list(KeyFilter(budget_id=budget_id), 1, 1),
            await store.teams.list(TeamFilter(budget_id=budget_id), 1, 1),
            await store.orgs.list(OrgFilter(budget_id=budget_id), 1, 1),
            await store.end_users.list(EndUserFilter(budget_id=budget_id), 1, 1),
            await store.users.list(UserFilter(budget_id=budget_id), 1, 1),
        )
        return any(page.total for page in counts)

    async def delete(self, actor: Principal, form: BudgetId) -> BudgetRecord:
        """The deleted template; one still in use is refused."""
        if not actor.is_admin:
            raise PermissionDenied("Only admins may delete budgets.")
        budget = await self._get(actor, form.id)
        if await self._in_use(budget.budget_id):
            raise BadRequest(f"Budget {budget.budget_id!r} is still in use.", param="id", code="budget_in_use")
        await self._budgets.remove(actor, budget)
        return budget
