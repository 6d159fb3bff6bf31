"""``/organization/...``."""

from __future__ import annotations

from litestar import Controller, Response
from litestar.enums import HttpMethod
from litestar.params import JSONBody

from switchboard.adapters.inbound.http.management.answers import listed
from switchboard.adapters.inbound.http.management.dependencies import Caller, Orgs, Page, QueryId, served
from switchboard.adapters.inbound.http.management.operations import change, read
from switchboard.application.governance.forms import NewOrg, OrgIds, UpdateOrg
from switchboard.application.governance.management import ORGS
from switchboard.domain.governance.entities import Organization
from switchboard.domain.governance.filters import OrgFilter


class OrganizationController(Controller):
    path = "/organization"
    tags = ["organizations"]
    dependencies = {"orgs": served(ORGS)}

    @change("/new", summary="Create an organization")
    async def new(self, data: JSONBody[NewOrg], orgs: Orgs, caller: Caller) -> Organization:
        return await orgs.new(caller, data)

    @change("/update", method=HttpMethod.PATCH, summary="Change an organization")
    async def update(self, data: JSONBody[UpdateOrg], orgs: Orgs, caller: Caller) -> Organization:
        return await orgs.update(caller, data)

    @change("/update", summary="Change an organization (POST, as older scripts send it)")
    async def update_by_post(self, data: JSONBody[UpdateOrg], orgs: Orgs, caller: Caller) -> Organization:
        return await orgs.update(caller, data)

    @change("/delete", method=HttpMethod.DELETE, summary="Delete empty organizations")
    async def delete(self, data: JSONBody[OrgIds], orgs: Orgs, caller: Caller) -> dict[str, list[str]]:
        return ORGS.deleted(await orgs.delete(caller, data))

    @change("/delete", summary="Delete empty organizations (POST, as older scripts send it)")
    async def delete_by_post(self, data: JSONBody[OrgIds], orgs: Orgs, caller: Caller) -> dict[str, list[str]]:
        return ORGS.deleted(await orgs.delete(caller, data))

    @read("/info", summary="An organization (the caller's own without ?organization_id=)")
    async def info(self, orgs: Orgs, caller: Caller, organization_id: QueryId = None) -> Organization:
        return await orgs.info(caller, organization_id or None)

    @read("/list", summary="Organizations")
    async def find(
        self, orgs: Orgs, caller: Caller, paging: Page, organization_alias: QueryId = None
    ) -> Response[list[Organization]]:
        found = await orgs.find(
            caller, OrgFilter(organization_alias=organization_alias or None), paging.page, paging.size
        )
        return listed(found, found.items)
