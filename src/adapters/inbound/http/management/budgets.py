"""``/budget/...`` and ``/customer/...`` (end users and their budgets)."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.types import ASGIApp
from pydantic import Field

from switchboard.adapters.inbound.http.management.common import (
    actor,
    body,
    dump,
    governance,
    listed,
    paging,
    query,
    reply,
)
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.governance.forms import (
    BudgetId,
    CustomerIds,
    Form,
    NewBudget,
    NewCustomer,
    UpdateBudget,
    UpdateCustomer,
)
from switchboard.domain.errors import BadRequest
from switchboard.domain.governance.access import INFO_ROUTES, MANAGEMENT_ROUTES

MANAGE = {"access": MANAGEMENT_ROUTES}
INFO = {"access": INFO_ROUTES}


class BudgetIds(Form):
    budgets: list[str] = Field(min_length=1)


@post("/budget/new", opt=MANAGE, summary="Create a budget template")
async def budget_new(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return reply(dump(await governance(services).budgets.new(actor(request), await body(request, NewBudget))))


@post("/budget/update", opt=MANAGE, summary="Change a budget template")
async def budget_update(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return reply(dump(await governance(services).budgets.update(actor(request), await body(request, UpdateBudget))))


@post("/budget/delete", opt=MANAGE, summary="Delete an unused budget template")
async def budget_delete(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return reply(dump(await governance(services).budgets.delete(actor(request), await body(request, BudgetId))))


@post("/budget/info", opt=INFO, summary="Budget templates by id")
async def budget_info(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    form = await body(request, BudgetIds)
    return reply([dump(b) for b in await governance(services).budgets.info(actor(request), form.budgets)])


@get("/budget/info", opt=INFO, summary="A budget template")
async def budget_info_get(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    budget_id = query(request, "budget_id").get("budget_id")
    if budget_id is None:
        raise BadRequest("Missing required parameter: 'budget_id'.", param="budget_id")
    found = await governance(services).budgets.info(actor(request), [budget_id])
    return reply(dump(found[0]))


@get("/budget/list", opt=INFO, summary="Budget templates")
async def budget_list(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    page, size = paging(request)
    found = await governance(services).budgets.find(actor(request), page, size)
    return listed(found, [dump(b) for b in found.items])


@post("/customer/new", opt=MANAGE, summary="Create an end user (the request's `user`)")
async def customer_new(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return reply(dump(await governance(services).customers.new(actor(request), await body(request, NewCustomer))))


@post("/customer/update", opt=MANAGE, summary="Change an end user")
async def customer_update(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    row = await governance(services).customers.update(actor(request), await body(request, UpdateCustomer))
    return reply(dump(row))


@post("/customer/delete", opt=MANAGE, summary="Delete end users")
async def customer_delete(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    deleted = await governance(services).customers.delete(actor(request), await body(request, CustomerIds))
    return reply({"deleted_customers": deleted})


@post("/customer/block", opt=MANAGE, summary="Block end users")
async def customer_block(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    done = await governance(services).customers.set_blocked(actor(request), await body(request, CustomerIds), True)
    return reply({"blocked_users": done})


@post("/customer/unblock", opt=MANAGE, summary="Unblock end users")
async def customer_unblock(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    done = await governance(services).customers.set_blocked(actor(request), await body(request, CustomerIds), False)
    return reply({"unblocked_users": done})


@get("/customer/info", opt=INFO, summary="An end user and their spend")
async def customer_info(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    wanted = query(request, "end_user_id", "user_id")
    user_id = wanted.get("end_user_id") or wanted.get("user_id")
    if user_id is None:
        raise BadRequest("Missing required parameter: 'end_user_id'.", param="end_user_id")
    return reply(dump(await governance(services).customers.info(actor(request), user_id)))


@get("/customer/list", opt=INFO, summary="End users")
async def customer_list(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    page, size = paging(request)
    found = await governance(services).customers.find(actor(request), page, size)
    return listed(found, [dump(c) for c in found.items])


ROUTES = [
    budget_new,
    budget_update,
    budget_delete,
    budget_info,
    budget_info_get,
    budget_list,
    customer_new,
    customer_update,
    customer_delete,
    customer_block,
    customer_unblock,
    customer_info,
    customer_list,
]
