"""Users: the people and services that own keys. Admins manage them; a user may change only
their own email, alias and metadata (never their role, models, budget or limits)."""

from __future__ import annotations

from typing import Any

from switchboard.application.governance.changes import Changes
from switchboard.application.governance.forms import GenerateKey, NewUser, UpdateUser, UserIds, expiry, given
from switchboard.application.governance.keys import KeyService
from switchboard.application.governance.store import GovernanceStore
from switchboard.application.governance.validation import check_budget_id, check_org_id, check_team_ids
from switchboard.domain.errors import BadRequest, NotFound, PermissionDenied
from switchboard.domain.governance.access import may_read_user
from switchboard.domain.governance.entities import Page, TeamMember, User
from switchboard.domain.governance.roles import TeamRole, UserRole
from switchboard.domain.ports.invalidation import EVERYTHING
from switchboard.domain.principal import Principal

_FIELDS = (
    "user_email",
    "user_alias",
    "user_role",
    "organization_id",
    "models",
    "max_budget",
    "soft_budget",
    "budget_duration",
    "tpm_limit",
    "rpm_limit",
    "max_parallel_requests",
    "budget_id",
    "metadata",
)
_SELF_SERVICE = frozenset({"user_email", "user_alias", "metadata"})


class UserService:
    def __init__(self, store: GovernanceStore, changes: Changes, keys: KeyService) -> None:
        self._store = store
        self._changes = changes
        self._keys = keys

    async def _get(self, actor: Principal, user_id: str) -> User:
        user = await self._store.users.get(user_id)
        if user is None or not may_read_user(actor, user_id):
            raise NotFound(f"No user {user_id!r}.", param="user_id", code="user_not_found")
        return user

    async def new(self, actor: Principal, form: NewUser) -> tuple[User, str | None]:
        """The new user, and the secret of its first key when ``auto_create_key`` (LiteLLM's
        default)."""
        if not actor.is_admin:
            raise PermissionDenied("Only admins may create users.")
        await check_org_id(self._store, form.organization_id)
        await check_budget_id(self._store, form.budget_id)
        await check_team_ids(self._store, form.teams or [])
        now = self._changes.now()
        values: dict[str, Any] = {k: v for k, v in given(form, *_FIELDS).items() if v is not None}
        user = User(
            user_id=form.user_id or self._changes.new_id("user-"),
            budget_reset_at=expiry(now, form.budget_duration),
            created_at=now,
            updated_at=now,
            created_by=actor.actor,
            **values,
        )
        if not await self._store.users.add(
            user, self._changes.audit(actor, "user.new", "user", user.user_id, None, user)
        ):
            raise BadRequest(f"User {user.user_id!r} already exists.", param="user_id", code="already_exists")
        for team_id in form.teams or []:
            team = await self._store.teams.get(team_id)
            if team is not None and team.role_of(user.user_id) is None:
                after = team.model_copy(
                    update={"members": [*team.members, TeamMember(user_id=user.user_id, role=TeamRole.USER)]}
                )
                await self._store.teams.replace(
                    after, self._changes.audit(actor, "team.member_add", "team", team_id, team, after)
                )
        secret = None
        if form.auto_create_key:
            secret, _ = await self._keys.generate(actor, GenerateKey(user_id=user.user_id, key_alias=form.key_alias))
        if form.teams:
            await self._changes.forget(EVERYTHING)
        return user, secret

    async def update(self, actor: Principal, form: UpdateUser) -> User:
        user = await self._get(actor, form.user_id)
        values = given(form, *_FIELDS)
        if not actor.is_admin:
            if actor.read_only or actor.user_id != user.user_id:
                raise PermissionDenied("Only admins may change other users.")
            refused = sorted(set(values) - _SELF_SERVICE)
            if refused:
                raise PermissionDenied("You may not change your own " + ", ".join(refused) + ".", param=refused[0])
        if "organization_id" in values:
            await check_org_id(self._store, values["organization_id"])
        if "budget_id" in values:
            await check_budget_id(self._store, values["budget_id"])
        if values.get("user_role") is None:
            values.pop("user_role", None)
        if "models" in values and values["models"] is None:
            values["models"] = []
        now = self._changes.now()
        if "budget_duration" in values:
            values["budget_reset_at"] = expiry(now, values["budget_duration"])
        if "user_role" in values:
            values["user_role"] = UserRole(values["user_role"])
        updated = user.model_copy(update={**values, "updated_at": now})
        audit = self._changes.audit(actor, "user.update", "user", user.user_id, user, updated)
        if not await self._store.users.replace(updated, audit):
            raise NotFound(f"No user {user.user_id!r}.", param="user_id", code="user_not_found")
        await self._changes.forget(EVERYTHING)
        return updated

    async def info(self, actor: Principal, user_id: str | None) -> User:
        user_id = user_id or actor.user_id
        if user_id is None:
            raise BadRequest("Name the user: user_id.", param="user_id")
        return await self._get(actor, user_id)

    async def find(self, actor: Principal, filters: dict[str, str], page: int, size: int) -> Page[User]:
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
                keys = await self._store.keys.list({"user_id": user.user_id}, 1, 500)
                if not keys.items:
                    break
                for key in keys.items:
                    await self._store.keys.delete(
                        key.token, self._changes.audit(actor, "key.delete", "key", key.token, key)
                    )
            if await self._store.users.delete(
                user.user_id, self._changes.audit(actor, "user.delete", "user", user.user_id, user)
            ):
                deleted.append(user.user_id)
        await self._changes.forget(EVERYTHING)
        return deleted
