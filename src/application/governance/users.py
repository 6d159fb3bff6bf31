"""Users: the people and services that own keys. Admins manage them; a user may change only
their own email, alias and metadata (never their role, models, budget or limits)."""

from __future__ import annotations

from switchboard.application.governance.changes import Changes
from switchboard.application.governance.forms import GenerateKey, NewUser, UpdateUser, UserFields, UserIds, expiry
from switchboard.application.governance.keys import KeyService
from switchboard.application.governance.kinds import Kind, Records, changed, initial
from switchboard.application.governance.store import GovernanceStore
from switchboard.application.governance.validation import check_budget_id, check_org_id, check_team_ids
from switchboard.application.governance.verbs import Issued
from switchboard.domain.errors import BadRequest, PermissionDenied
from switchboard.domain.governance.access import may_read_user
from switchboard.domain.governance.entities import Page, TeamMember, User, VirtualKey
from switchboard.domain.governance.filters import KeyFilter, UserFilter
from switchboard.domain.governance.roles import TeamRole, UserRole
from switchboard.domain.ports.invalidation import EVERYTHING
from switchboard.domain.principal import Principal

USER = Kind[User]("user", "user", "user", "user_id", lambda u: u.user_id)
_FIELDS = tuple(name for name in UserFields.model_fields if name != "send_invite_email")
_SELF_SERVICE = frozenset({"user_email", "user_alias", "metadata"})


class UserService:
    def __init__(self, store: GovernanceStore, changes: Changes, keys: KeyService) -> None:
        self._store = store
        self._changes = changes
        self._keys = keys
        self._users = Records(USER, store.users, changes)

    async def _get(self, actor: Principal, user_id: str) -> User:
        return await self._users.get(user_id, visible=may_read_user(actor, user_id))

    async def new(self, actor: Principal, form: NewUser) -> tuple[User, Issued[VirtualKey] | None]:
        """The new user, and its first key when ``auto_create_key`` (LiteLLM's default)."""
        if not actor.is_admin:
            raise PermissionDenied("Only admins may create users.")
        await check_org_id(self._store, form.organization_id)
        await check_budget_id(self._store, form.budget_id)
        await check_team_ids(self._store, form.teams or [])
        now = self._changes.now()
        user = await self._users.add(
            actor,
            User(
                user_id=form.user_id or self._changes.new_id("user-"),
                budget_reset_at=expiry(now, form.budget_duration),
                created_at=now,
                updated_at=now,
                created_by=actor.actor,
                **initial(form, _FIELDS),
            ),
        )
        for team_id in form.teams or []:
            team = await self._store.teams.get(team_id)
            if team is not None and team.role_of(user.user_id) is None:
                after = team.model_copy(
                    update={"members": [*team.members, TeamMember(user_id=user.user_id, role=TeamRole.USER)]}
                )
                await self._store.teams.replace(
                    after, self._changes.audit(actor, "team.member_add", "team", team_id, team, after)
                )
        first_key = None
        if form.auto_create_key:
            first_key = await self._keys.new(actor, GenerateKey(user_id=user.user_id, key_alias=form.key_alias))
        if form.teams:
            await self._changes.forget(EVERYTHING)
        return user, first_key

    async def update(self, actor: Principal, form: UpdateUser) -> User:
        user = await self._get(actor, form.user_id)
        now = self._changes.now()
        values = changed(form, _FIELDS, now)
        if not actor.is_admin:
            if actor.read_only or actor.user_id != user.user_id:
                raise PermissionDenied("Only admins may change other users.")
            refused = sorted(set(_sent(form)) - _SELF_SERVICE)
            if refused:
                raise PermissionDenied("You may not change your own " + ", ".join(refused) + ".", param=refused[0])
        if "organization_id" in values:
            await check_org_id(self._store, values["organization_id"])
        if "budget_id" in values:
            await check_budget_id(self._store, values["budget_id"])
        if values.get("user_role") is None:
            values.pop("user_role", None)
        else:
            values["user_role"] = UserRole(values["user_role"])
        updated = await self._users.replace(
            actor, "update", user, user.model_copy(update={**values, "updated_at": now})
        )
        await self._changes.forget(EVERYTHING)
        return updated

    async def info(self, actor: Principal, id: str | None) -> User:
        user_id = id or actor.user_id
        if user_id is None:
            raise BadRequest("Name the user: user_id.", param="user_id")
        return await self._get(actor, user_id)

    async def find(self, actor: Principal, filters: UserFilter, page: int, size: int) -> Page[User]:
        if not actor.reads_everything:
            raise PermissionDenied("Only admins may list users.")
        return await self._store.users.list(filters, page, size)

    async def delete(self, actor: Principal, form: UserIds) -> list[str]:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may delete users.")
        users = [await self._get(actor, user_id) for user_id in form.user_ids]
        deleted = []
        for user in users:
            while True:  # a user's keys go with the user
                keys = await self._store.keys.list(KeyFilter(user_id=user.user_id), 1, 500)
                if not keys.items:
                    break
                for key in keys.items:
                    await self._store.keys.delete(
                        key.token, self._changes.audit(actor, "key.delete", "key", key.token, key)
                    )
            if await self._users.remove(actor, user):
                deleted.append(user.user_id)
        await self._changes.forget(EVERYTHING)
        return deleted


def _sent(form: UpdateUser) -> list[str]:
    return [name for name in form.model_fields_set if name in _FIELDS]
