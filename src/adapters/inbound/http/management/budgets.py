"""``/budget/...``: budget templates."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response
from litestar.params import JSONBody, QueryParameter

from switchboard.adapters.inbound.http.management.answers import listed
from switchboard.adapters.inbound.http.management.dependencies import Budgets, Caller, Page, served
from switchboard.adapters.inbound.http.management.operations import change, read
from switchboard.application.governance.forms import BudgetId, BudgetIds, NewBudget, UpdateBudget
from switchboard.application.governance.management import BUDGETS
from switchboard.domain.governance.access import INFO_ROUTES
from switchboard.domain.governance.entities import BudgetRecord
from switchboard.domain.governance.filters import BudgetFilter


class BudgetController(Controller):
    path = "/budget"
    tags = ["budgets"]
    dependencies = {"budgets": served(BUDGETS)}

    @change("/new", summary="Create a budget template")
    async def new(self, data: JSONBody[NewBudget], budgets: Budgets, caller: Caller) -> BudgetRecord:
        return await budgets.new(caller, data)

    @change("/update", summary="Change a budget template")
    async def update(self, data: JSONBody[UpdateBudget], budgets: Budgets, caller: Caller) -> BudgetRecord:
        return await budgets.update(caller, data)

    @change("/delete", summary="Delete an unused budget template")
    async def delete(self, data: JSONBody[BudgetId], budgets: Budgets, caller: Caller) -> BudgetRecord:
        return await budgets.delete(caller, data)

    @change("/info", access=INFO_ROUTES, summary="Budget templates by id")
    async def info_many(self, data: JSONBody[BudgetIds], budgets: Budgets, caller: Caller) -> list[BudgetRecord]:
        return await budgets.info_many(caller, data.budgets)

    @read("/info", summary="A budget template")
    async def info(
        self, budgets: Budgets, caller: Caller, budget_id: Annotated[str | None, QueryParameter(max_length=256)] = None
    ) -> BudgetRecord:
        return await budgets.info(caller, budget_id or None)

    @read("/list", summary="Budget templates")
    async def find(self, budgets: Budgets, caller: Caller, paging: Page) -> Response[list[BudgetRecord]]:
        found = await budgets.find(caller, BudgetFilter(), paging.page, paging.size)
        return listed(found, found.items)
