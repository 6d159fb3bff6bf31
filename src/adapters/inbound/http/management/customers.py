"""``/customer/...``: end users (the request's ``user``) and their budgets."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response
from litestar.params import JSONBody, QueryParameter

from switchboard.adapters.inbound.http.management.answers import listed
from switchboard.adapters.inbound.http.management.dependencies import Caller, Customers, Page, QueryId, served
from switchboard.adapters.inbound.http.management.operations import change, read
from switchboard.application.governance.forms import CustomerIds, NewCustomer, UpdateCustomer
from switchboard.application.governance.management import CUSTOMERS
from switchboard.domain.governance.entities import EndUser
from switchboard.domain.governance.filters import EndUserFilter


class CustomerController(Controller):
    path = "/customer"
    tags = ["end users"]
    dependencies = {"customers": served(CUSTOMERS)}

    @change("/new", summary="Create an end user (the request's `user`)")
    async def new(self, data: JSONBody[NewCustomer], customers: Customers, caller: Caller) -> EndUser:
        return await customers.new(caller, data)

    @change("/update", summary="Change an end user")
    async def update(self, data: JSONBody[UpdateCustomer], customers: Customers, caller: Caller) -> EndUser:
        return await customers.update(caller, data)

    @change("/delete", summary="Delete end users")
    async def delete(self, data: JSONBody[CustomerIds], customers: Customers, caller: Caller) -> dict[str, list[str]]:
        return CUSTOMERS.deleted(await customers.delete(caller, data))

    @change("/block", summary="Block end users")
    async def block(self, data: JSONBody[CustomerIds], customers: Customers, caller: Caller) -> dict[str, list[str]]:
        return {"blocked_users": await customers.set_blocked(caller, data, True)}

    @change("/unblock", summary="Unblock end users")
    async def unblock(self, data: JSONBody[CustomerIds], customers: Customers, caller: Caller) -> dict[str, list[str]]:
        return {"unblocked_users": await customers.set_blocked(caller, data, False)}

    @read("/info", summary="An end user and their spend")
    async def info(
        self,
        customers: Customers,
        caller: Caller,
        end_user_id: QueryId = None,
        user_id: Annotated[
            str | None, QueryParameter(max_length=256, description="`end_user_id`, as LiteLLM also takes it.")
        ] = None,
    ) -> EndUser:
        return await customers.info(caller, end_user_id or user_id or None)

    @read("/list", summary="End users")
    async def find(self, customers: Customers, caller: Caller, paging: Page) -> Response[list[EndUser]]:
        found = await customers.find(caller, EndUserFilter(), paging.page, paging.size)
        return listed(found, found.items)
