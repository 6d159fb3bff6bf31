"""Budget templates (``/budget/...``): named limits that keys, teams, organizations and end
users point at with ``budget_id``; their own limits, when set, win."""

from __future__ import annotations

from switchboard.application.governance.changes import Changes
from switchboard.application.governance.forms import BudgetId, NewBudget, UpdateBudget, given
from switchboard.application.governance.store import GovernanceStore
from switchboard.domain.errors import BadRequest, NotFound, PermissionDenied
from switchboard.domain.governance.entities import BudgetRecord, Page
from switchboard.domain.ports.invalidation import EVERYTHING
from switchboard.domain.principal import Principal

_FIELDS = ("max_budget", "soft_budget", "budget_duration", "tpm_limit", "rpm_limit", "max_parallel_requests")


class BudgetService:
    def __init__(self, store: GovernanceStore, changes: Changes) -> None:
        self._store = store
        self._changes = changes

    async def _get(self, actor: Principal, budget_id: str) -> BudgetRecord:
        if not actor.reads_everything:
            raise PermissionDenied("Only admins may read budgets.")
        budget = await self._store.budgets.get(budget_id)
        if budget is None:
            raise NotFound(f"No budget {budget_id!r}.", param="budget_id", code="budget_not_found")
        return budget

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
        if not await self._store.budgets.add(
            budget, self._changes.audit(actor, "budget.new", "budget", budget.budget_id, None, budget)
        ):
            raise BadRequest(f"Budget {budget.budget_id!r} exists.", param="budget_id", code="already_exists")
        return budget

    async def update(self, actor: Principal, form: UpdateBudget) -> BudgetRecord:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may change budgets.")
        budget = await self._get(actor, form.budget_id)
        updated = budget.model_copy(update={**given(form, *_FIELDS), "updated_at": self._changes.now()})
        audit = self._changes.audit(actor, "budget.update", "budget", budget.budget_id, budget, updated)
        if not await self._store.budgets.replace(updated, audit):
            raise NotFound(f"No budget {budget.budget_id!r}.", param="budget_id")
        await self._changes.forget(EVERYTHING)
        return updated

    async def info(self, actor: Principal, budget_ids: list[str]) -> list[BudgetRecord]:
        return [await self._get(actor, b) for b in budget_ids]

    async def find(self, actor: Principal, page: int, size: int) -> Page[BudgetRecord]:
        if not actor.reads_everything:
            raise PermissionDenied("Only admins may read budgets.")
        return await self._store.budgets.list({}, page, size)

    async def delete(self, actor: Principal, form: BudgetId) -> BudgetRecord:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may delete budgets.")
        budget = await self._get(actor, form.id)
        for repository in (
            self._store.keys,
            self._store.teams,
            self._store.orgs,
            self._store.end_users,
            self._store.users,
        ):
            users = await repository.list({"budget_id": budget.budget_id}, 1, 1)
            if users.total:
                raise BadRequest(f"Budget {budget.budget_id!r} is still in use.", param="id", code="budget_in_use")
        await self._store.budgets.delete(
            budget.budget_id, self._changes.audit(actor, "budget.delete", "budget", budget.budget_id, budget)
        )
        return budget
