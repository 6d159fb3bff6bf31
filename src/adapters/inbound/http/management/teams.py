"""``/team/...``: teams and their members."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response
from litestar.params import JSONBody, QueryParameter

from switchboard.adapters.inbound.http.management.answers import TeamInfo, listed
from switchboard.adapters.inbound.http.management.dependencies import Caller, Keys, Page, QueryId, Teams, served
from switchboard.adapters.inbound.http.management.operations import change, read
from switchboard.application.governance.forms import AddMembers, NewTeam, RemoveMember, TeamIds, UpdateTeam
from switchboard.application.governance.management import KEYS, TEAMS
from switchboard.application.governance.views import TeamView
from switchboard.domain.governance.filters import KeyFilter, TeamFilter


class TeamController(Controller):
    path = "/team"
    tags = ["teams"]
    dependencies = {"teams": served(TEAMS), "keys": served(KEYS)}

    @change("/new", summary="Create a team")
    async def new(self, data: JSONBody[NewTeam], teams: Teams, caller: Caller) -> TeamView:
        return TeamView.of(await teams.new(caller, data))

    @change("/update", summary="Change a team")
    async def update(self, data: JSONBody[UpdateTeam], teams: Teams, caller: Caller) -> TeamView:
        return TeamView.of(await teams.update(caller, data))

    @change("/member_add", summary="Add members to a team")
    async def member_add(self, data: JSONBody[AddMembers], teams: Teams, caller: Caller) -> TeamView:
        return TeamView.of(await teams.add_members(caller, data))

    @change("/member_delete", summary="Remove a member from a team")
    async def member_delete(self, data: JSONBody[RemoveMember], teams: Teams, caller: Caller) -> TeamView:
        return TeamView.of(await teams.remove_member(caller, data))

    @change("/delete", summary="Delete teams (and their keys)")
    async def delete(self, data: JSONBody[TeamIds], teams: Teams, caller: Caller) -> dict[str, list[str]]:
        return TEAMS.deleted(await teams.delete(caller, data))

    @change("/block", summary="Block a team: its keys stop working")
    async def block(self, data: JSONBody[UpdateTeam], teams: Teams, caller: Caller) -> TeamView:
        return TeamView.of(await teams.set_blocked(caller, data.team_id, True))

    @change("/unblock", summary="Unblock a team")
    async def unblock(self, data: JSONBody[UpdateTeam], teams: Teams, caller: Caller) -> TeamView:
        return TeamView.of(await teams.set_blocked(caller, data.team_id, False))

    @read("/info", summary="A team, its members and its keys (the caller's own without ?team_id=)")
    async def info(self, teams: Teams, keys: Keys, caller: Caller, team_id: QueryId = None) -> TeamInfo:
        team = await teams.info(caller, team_id or None)
        found = await keys.find(caller, KeyFilter(team_id=team.team_id), 1, 1000)
        visible = [k for k in found.items if k.team_id == team.team_id]
        return TeamInfo(team_id=team.team_id, team_info=TeamView.of(team), keys=visible)

    @read("/list", summary="Teams (the caller's own unless admin)")
    async def find(
        self,
        teams: Teams,
        caller: Caller,
        paging: Page,
        organization_id: QueryId = None,
        team_alias: QueryId = None,
        user_id: Annotated[
            str | None, QueryParameter(max_length=256, description="Teams this user is a member of.")
        ] = None,
    ) -> Response[list[TeamView]]:
        filters = TeamFilter(
            organization_id=organization_id or None, team_alias=team_alias or None, member=user_id or None
        )
        found = await teams.find(caller, filters, paging.page, paging.size)
        return listed(found, [TeamView.of(t) for t in found.items])
