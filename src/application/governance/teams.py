"""Teams and their members. Admins manage every team; a team's admins manage their own team's
members and settings, but not its budget or limits."""

from __future__ import annotations

from dataclasses import replace

from switchboard.application.governance.changes import Changes
from switchboard.application.governance.forms import (
    AddMembers,
    Member,
    NewTeam,
    RemoveMember,
    TeamIds,
    UpdateTeam,
    expiry,
)
from switchboard.application.governance.keys import KeyService
from switchboard.application.governance.kinds import Kind, Records, changed, initial
from switchboard.application.governance.store import GovernanceStore
from switchboard.application.governance.validation import check_budget_id, check_org_id
from switchboard.domain.errors import BadRequest, NotFound, PermissionDenied
from switchboard.domain.governance.access import may_manage_team, may_read_team
from switchboard.domain.governance.entities import Page, Team, TeamMember
from switchboard.domain.governance.filters import TeamFilter, UserFilter
from switchboard.domain.ports.invalidation import EVERYTHING
from switchboard.domain.principal import Principal

TEAM = Kind[Team]("team", "team", "team", "team_id", lambda t: t.team_id)
_SETTINGS = ("team_alias", "metadata", "models")  # a team's admins may change these
_ADMIN_ONLY = (
    "max_budget",
    "soft_budget",
    "budget_duration",
    "tpm_limit",
    "rpm_limit",
    "max_parallel_requests",
    "budget_id",
    "organization_id",
    "blocked",
)


class TeamService:
    def __init__(self, store: GovernanceStore, changes: Changes, keys: KeyService) -> None:
        self._store = store
        self._changes = changes
        self._keys = keys
        self._teams = Records(TEAM, store.teams, changes)

    async def _get(self, actor: Principal, team_id: str) -> Team:
        return await self._teams.get(team_id, visible=may_read_team(actor, team_id))

    async def _managed(self, actor: Principal, team_id: str) -> Team:
        team = await self._get(actor, team_id)
        if not may_manage_team(actor, team_id):
            raise PermissionDenied("Only an admin or this team's admin may change it.", param="team_id")
        return team

    async def _user_by_email(self, email: str) -> str | None:
        found = await self._store.users.list(UserFilter(user_email=email), 1, 1)
        return found.items[0].user_id if found.items else None

    async def _members(self, members: list[Member]) -> list[TeamMember]:
        out: dict[str, TeamMember] = {}
        for member in members:
            user_id = member.user_id
            if user_id is None and member.user_email:
                user_id = await self._user_by_email(member.user_email)
                if user_id is None:
                    raise BadRequest(f"No user with email {member.user_email!r}.", param="member.user_email")
            if user_id is None:
                raise BadRequest("A member needs a user_id or a user_email.", param="member.user_id")
            out[user_id] = TeamMember(user_id=user_id, role=member.role)
        return list(out.values())

    async def _replace(self, actor: Principal, action: str, before: Team, after: Team) -> Team:
        await self._teams.replace(actor, action, before, after)
        await self._changes.forget(EVERYTHING)  # every key of the team, and its members' keys
        return after

    async def new(self, actor: Principal, form: NewTeam) -> Team:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may create teams.")
        await check_org_id(self._store, form.organization_id)
        await check_budget_id(self._store, form.budget_id)
        now = self._changes.now()
        team = Team(
            team_id=form.team_id or self._changes.new_id("team-"),
            members=await self._members(form.members_with_roles or []),
            budget_reset_at=expiry(now, form.budget_duration),
            created_at=now,
            updated_at=now,
            created_by=actor.actor,
            **initial(form, (*_SETTINGS, *_ADMIN_ONLY)),
        )
        return await self._teams.add(actor, team)

    async def update(self, actor: Principal, form: UpdateTeam) -> Team:
        team = await self._managed(actor, form.team_id)
        now = self._changes.now()
        values = changed(form, (*_SETTINGS, *_ADMIN_ONLY), now)
        restricted = sorted(k for k in values if k in _ADMIN_ONLY)
        if restricted and not actor.is_admin:
            raise PermissionDenied("Only admins may change " + ", ".join(restricted) + ".", param=restricted[0])
        if "organization_id" in values:
            await check_org_id(self._store, values["organization_id"])
        if "budget_id" in values:
            await check_budget_id(self._store, values["budget_id"])
        return await self._replace(actor, "update", team, team.model_copy(update={**values, "updated_at": now}))

    async def add_members(self, actor: Principal, form: AddMembers) -> Team:
        team = await self._managed(actor, form.team_id)
        wanted = await self._members(form.member if isinstance(form.member, list) else [form.member])
        members = {m.user_id: m for m in team.members}
        members.update({m.user_id: m for m in wanted})
        updated = team.model_copy(update={"members": list(members.values()), "updated_at": self._changes.now()})
        return await self._replace(actor, "member_add", team, updated)

    async def remove_member(self, actor: Principal, form: RemoveMember) -> Team:
        team = await self._managed(actor, form.team_id)
        user_id = form.user_id
        if user_id is None and form.user_email:
            user_id = await self._user_by_email(form.user_email)
        if user_id is None or team.role_of(user_id) is None:
            raise NotFound("That user is not a member of the team.", param="user_id", code="member_not_found")
        members = [m for m in team.members if m.user_id != user_id]
        updated = team.model_copy(update={"members": members, "updated_at": self._changes.now()})
        return await self._replace(actor, "member_delete", team, updated)

    async def set_blocked(self, actor: Principal, target: str, blocked: bool) -> Team:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may block or unblock teams.")
        team = await self._get(actor, target)
        updated = team.model_copy(update={"blocked": blocked, "updated_at": self._changes.now()})
        return await self._replace(actor, "block" if blocked else "unblock", team, updated)

    async def info(self, actor: Principal, id: str | None) -> Team:
        team_id = id or actor.team_id
        if team_id is None:
            raise BadRequest("Name the team: team_id.", param="team_id")
        return await self._get(actor, team_id)

    async def find(self, actor: Principal, filters: TeamFilter, page: int, size: int) -> Page[Team]:
        if not actor.reads_everything:
            if actor.user_id is None:
                teams = [await self._get(actor, actor.team_id)] if actor.team_id else []
                return Page[Team](items=teams, total=len(teams), page=1, size=max(1, size))
            filters = replace(filters, member=actor.user_id)
        return await self._store.teams.list(filters, page, size)

    async def delete(self, actor: Principal, form: TeamIds) -> list[str]:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may delete teams.")
        teams = [await self._get(actor, team_id) for team_id in form.team_ids]
        deleted = []
        for team in teams:
            await self._keys.delete_of_team(actor, team.team_id)
            if await self._teams.remove(actor, team):
                deleted.append(team.team_id)
        await self._changes.forget(EVERYTHING)
        return deleted
