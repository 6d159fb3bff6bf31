"""``/user/...``: users, their keys and teams."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.types import ASGIApp

from switchboard.adapters.inbound.http.management.common import (
    actor,
    body,
    dump,
    governance,
    page_headers,
    paging,
    query,
    reply,
)
from switchboard.adapters.inbound.http.management.keys import key_json
from switchboard.adapters.inbound.http.management.teams import team_json
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.governance.forms import NewUser, UpdateUser, UserIds
from switchboard.domain.governance.access import INFO_ROUTES, MANAGEMENT_ROUTES
from switchboard.domain.governance.entities import User

MANAGE = {"access": MANAGEMENT_ROUTES}
INFO = {"access": INFO_ROUTES}


def user_json(user: User) -> dict[str, Any]:
    return dump(user)


@post("/user/new", opt=MANAGE, summary="Create a user (and, by default, a first key)")
async def user_new(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    user, secret = await governance(services).users.new(actor(request), await body(request, NewUser))
    return reply({**user_json(user), "key": secret})


@post("/user/update", opt=MANAGE, summary="Change a user")
async def user_update(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return reply(user_json(await governance(services).users.update(actor(request), await body(request, UpdateUser))))


@post("/user/delete", opt=MANAGE, summary="Delete users (and their keys)")
async def user_delete(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    deleted = await governance(services).users.delete(actor(request), await body(request, UserIds))
    return reply({"deleted_users": deleted})


@get("/user/info", opt=INFO, summary="A user with their keys and teams (the caller without ?user_id=)")
async def user_info(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    gov, who = governance(services), actor(request)
    user = await gov.users.info(who, query(request, "user_id").get("user_id"))
    keys = await gov.keys.find(who, {"user_id": user.user_id}, 1, 1000)
    teams = await gov.teams.find(who, {"member": user.user_id}, 1, 1000)
    return reply(
        {
            "user_id": user.user_id,
            "user_info": user_json(user),
            "keys": [key_json(k) for k in keys.items if k.user_id == user.user_id],
            "teams": [team_json(t) for t in teams.items],
        }
    )


@get("/user/list", opt=INFO, summary="Users, a page at a time")
async def user_list(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    page, size = paging(request)
    filters = query(request, "user_role", "user_email", "organization_id")
    if "role" in request.query_params:
        filters["user_role"] = str(request.query_params["role"])
    found = await governance(services).users.find(actor(request), filters, page, size)
    return reply(
        {
            "users": [user_json(u) for u in found.items],
            "total": found.total,
            "page": found.page,
            "page_size": found.size,
            "total_pages": found.pages,
        },
        page_headers(found),
    )


ROUTES = [user_new, user_update, user_delete, user_info, user_list]
