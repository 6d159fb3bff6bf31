"""``/team/...``: teams and their members."""

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
    listed,
    paging,
    query,
    reply,
)
from switchboard.adapters.inbound.http.management.keys import key_json
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.governance.forms import AddMembers, NewTeam, RemoveMember, TeamIds, UpdateTeam
from switchboard.domain.governance.access import INFO_ROUTES, MANAGEMENT_ROUTES
from switchboard.domain.governance.entities import Team

MANAGE = {"access": MANAGEMENT_ROUTES}
INFO = {"access": INFO_ROUTES}


def team_json(team: Team) -> dict[str, Any]:
    data = dump(team)
    data["members_with_roles"] = data.pop("members")
    return data


@post("/team/new", opt=MANAGE, summary="Create a team")
async def team_new(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return reply(team_json(await governance(services).teams.new(actor(request), await body(request, NewTeam))))


@post("/team/update", opt=MANAGE, summary="Change a team")
async def team_update(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return reply(team_json(await governance(services).teams.update(actor(request), await body(request, UpdateTeam))))


@post("/team/member_add", opt=MANAGE, summary="Add members to a team")
async def team_member_add(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    team = await governance(services).teams.add_members(actor(request), await body(request, AddMembers))
    return reply(team_json(team))


@post("/team/member_delete", opt=MANAGE, summary="Remove a member from a team")
async def team_member_delete(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    team = await governance(services).teams.remove_member(actor(request), await body(request, RemoveMember))
    return reply(team_json(team))


@post("/team/delete", opt=MANAGE, summary="Delete teams (and their keys)")
async def team_delete(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    deleted = await governance(services).teams.delete(actor(request), await body(request, TeamIds))
    return reply({"deleted_teams": deleted})


@post("/team/block", opt=MANAGE, summary="Block a team: its keys stop working")
async def team_block(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    form = await body(request, UpdateTeam)
    return reply(team_json(await governance(services).teams.set_blocked(actor(request), form.team_id, True)))


@post("/team/unblock", opt=MANAGE, summary="Unblock a team")
async def team_unblock(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    form = await body(request, UpdateTeam)
    return reply(team_json(await governance(services).teams.set_blocked(actor(request), form.team_id, False)))


@get("/team/info", opt=INFO, summary="A team, its members and its keys")
async def team_info(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    gov, who = governance(services), actor(request)
    team = await gov.teams.info(who, query(request, "team_id").get("team_id"))
    keys = await gov.keys.find(who, {"team_id": team.team_id}, 1, 1000)
    visible = [key_json(k) for k in keys.items if k.team_id == team.team_id]
    return reply({"team_id": team.team_id, "team_info": team_json(team), "keys": visible})


@get("/team/list", opt=INFO, summary="Teams (the caller's own unless admin)")
async def team_list(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    page, size = paging(request)
    filters = query(request, "organization_id", "team_alias")
    user = query(request, "user_id").get("user_id")
    if user is not None:
        filters["member"] = user
    found = await governance(services).teams.find(actor(request), filters, page, size)
    return listed(found, [team_json(t) for t in found.items])


ROUTES = [
    team_new,
    team_update,
    team_member_add,
    team_member_delete,
    team_delete,
    team_block,
    team_unblock,
    team_info,
    team_list,
]
