"""``/organization/...``."""

from __future__ import annotations

from litestar import Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.types import ASGIApp

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
from switchboard.application.governance.forms import NewOrg, OrgIds, UpdateOrg
from switchboard.domain.governance.access import INFO_ROUTES, MANAGEMENT_ROUTES

MANAGE = {"access": MANAGEMENT_ROUTES}
INFO = {"access": INFO_ROUTES}


@post("/organization/new", opt=MANAGE, summary="Create an organization")
async def org_new(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return reply(dump(await governance(services).orgs.new(actor(request), await body(request, NewOrg))))


@patch("/organization/update", opt=MANAGE, summary="Change an organization")
async def org_update(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return reply(dump(await governance(services).orgs.update(actor(request), await body(request, UpdateOrg))))


@post("/organization/update", opt=MANAGE, summary="Change an organization", include_in_schema=False)
async def org_update_post(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return reply(dump(await governance(services).orgs.update(actor(request), await body(request, UpdateOrg))))


@delete("/organization/delete", opt=MANAGE, summary="Delete empty organizations", status_code=200)
async def org_delete(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    deleted = await governance(services).orgs.delete(actor(request), await body(request, OrgIds))
    return reply({"deleted_organizations": deleted})


@post("/organization/delete", opt=MANAGE, summary="Delete empty organizations", include_in_schema=False)
async def org_delete_post(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    deleted = await governance(services).orgs.delete(actor(request), await body(request, OrgIds))
    return reply({"deleted_organizations": deleted})


@get("/organization/info", opt=INFO, summary="An organization")
async def org_info(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    org = await governance(services).orgs.info(actor(request), query(request, "organization_id").get("organization_id"))
    return reply(dump(org))


@get("/organization/list", opt=INFO, summary="Organizations")
async def org_list(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    page, size = paging(request)
    found = await governance(services).orgs.find(actor(request), page, size)
    return listed(found, [dump(o) for o in found.items])


ROUTES = [org_new, org_update, org_update_post, org_delete, org_delete_post, org_info, org_list]
