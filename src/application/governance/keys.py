"""Virtual keys: issue, change, block, regenerate, delete, look up.

A key's secret (``sk-`` and 43 random characters) is shown once, when it is made; only its
SHA-256 is stored. Every change is audited and reaches every instance's cache at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from switchboard.application.governance.changes import Changes
from switchboard.application.governance.forms import (
    DeleteKeys,
    GenerateKey,
    KeyFields,
    RegenerateKey,
    UpdateKey,
    expiry,
    given,
)
from switchboard.application.governance.store import GovernanceStore
from switchboard.application.governance.validation import check_budget_id
from switchboard.application.governance.verbs import Issued
from switchboard.domain.errors import BadRequest, NotFound, PermissionDenied
from switchboard.domain.governance.access import (
    INFO_ROUTES,
    LLM_ROUTES,
    MANAGEMENT_ROUTES,
    Grant,
    escalations,
    may_issue_key,
    may_manage_key,
    may_read_key,
    may_rotate_key,
)
from switchboard.domain.governance.entities import Page, VirtualKey
from switchboard.domain.governance.filters import KeyFilter
from switchboard.domain.governance.keys import KEY_PREFIX, hash_key, mask_key, token_of
from switchboard.domain.principal import Principal

_KEY_TYPES = {
    "llm_api": [LLM_ROUTES],
    "management": [MANAGEMENT_ROUTES, INFO_ROUTES],
    "read_only": [INFO_ROUTES],
}
# Fields of a key that a non-admin may not raise above its own.
_GRANTED = (
    "models",
    "allowed_routes",
    "max_budget",
    "rpm_limit",
    "tpm_limit",
    "max_parallel_requests",
    "model_rpm_limit",
    "model_tpm_limit",
    "expires",
)
_KEY_FIELDS = (
    "key_alias",
    "models",
    "allowed_routes",
    "max_budget",
    "soft_budget",
    "budget_duration",
    "tpm_limit",
    "rpm_limit",
    "max_parallel_requests",
    "model_rpm_limit",
    "model_tpm_limit",
    "metadata",
    "tags",
    "blocked",
    "budget_id",
    "user_id",
    "team_id",
)
_CLEARABLE = frozenset(
    {
        "key_alias",
        "max_budget",
        "soft_budget",
        "budget_duration",
        "tpm_limit",
        "rpm_limit",
        "max_parallel_requests",
        "budget_id",
        "user_id",
        "team_id",
    }
)


def new_secret() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def _grant(key: VirtualKey) -> Grant:
    return Grant(
        models=key.models,
        allowed_routes=key.allowed_routes,
        max_budget=key.max_budget,
        rpm_limit=key.rpm_limit,
        tpm_limit=key.tpm_limit,
        max_parallel_requests=key.max_parallel_requests,
        model_rpm_limit=key.model_rpm_limit,
        model_tpm_limit=key.model_tpm_limit,
        expires=key.expires,
    )


def _refuse_escalation(fields: list[str]) -> PermissionDenied:
    return PermissionDenied(
        "A key cannot be given more than its creator has: " + ", ".join(fields) + " exceed yours.",
        param=fields[0],
        code="escalation_refused",
    )


class KeyService:
    def __init__(
        self,
        store: GovernanceStore,
        changes: Changes,
        secret_factory: Callable[[], str] = new_secret,
        *,
        allow_self_rotation: bool = False,
    ) -> None:
        self._store = store
        self._changes = changes
        self._secret = secret_factory
        self._self_rotation = allow_self_rotation

    # --- lookups ------------------------------------------------------------------------

    async def _visible(self, actor: Principal, reference: str | None) -> VirtualKey:
        """The key ``reference`` names (its secret or hash; the caller's own when ``None``).
        Missing and not-yours look the same: 404."""
        token = token_of(reference) if reference else actor.key_hash
        key = await self._store.keys.get(token) if token else None
        if key is None or not may_read_key(actor, key):
            raise NotFound("No such key.", param="key", code="key_not_found")
        return key

    async def _managed(self, actor: Principal, reference: str | None) -> VirtualKey:
        key = await self._visible(actor, reference)
        if not may_manage_key(actor, key):
            raise PermissionDenied("You may read this key but not change it.", code="permission_denied")
        return key

    async def info(self, actor: Principal, id: str | None) -> VirtualKey:
        """The key ``id`` names (its secret or hash); the caller's own when ``None``."""
        return await self._visible(actor, id)

    async def find(self, actor: Principal, filters: KeyFilter, page: int, size: int) -> Page[VirtualKey]:
        if not actor.reads_everything:
            team = filters.team_id
            if team is None or team not in actor.team_admin_of:
                if actor.user_id is None:
                    own = await self._store.keys.get(actor.key_hash) if actor.key_hash else None
                    items = [own] if own is not None else []
                    return Page[VirtualKey](items=items, total=len(items), page=1, size=max(1, size))
                filters = replace(filters, user_id=actor.user_id)
        return await self._store.keys.list(filters, page, size)

    # --- changes ------------------------------------------------------------------------

    async def _owner_check(self, actor: Principal, user_id: str | None, team_id: str | None) -> str | None:
        """Check who may own a key; return its organization (from its team)."""
        org_id = None
        if team_id is not None:
            team = await self._store.teams.get(team_id)
            if team is None:
                raise BadRequest(f"No team {team_id!r}.", param="team_id", code="team_not_found")
            org_id = team.organization_id
            if not actor.is_admin and user_id is not None and team.role_of(user_id) is None:
                raise PermissionDenied("The key's user is not a member of its team.", param="user_id")
            if team.blocked and not actor.is_admin:
                raise PermissionDenied("The team is blocked.", param="team_id", code="team_blocked")
        if not may_issue_key(actor, user_id, team_id):
            raise PermissionDenied(
                "You may not create or move keys for this user or team.",
                param="team_id" if team_id else "user_id",
            )
        return org_id

    def _values(self, form: KeyFields, now: datetime) -> dict[str, Any]:
        # A field sent as null clears it, unless it has no "unset" (lists, maps, flags).
        values = {k: v for k, v in given(form, *_KEY_FIELDS).items() if v is not None or k in _CLEARABLE}
        if form.key_type is not None and form.key_type != "default":
            values["allowed_routes"] = _KEY_TYPES[form.key_type]
        if "duration" in form.model_fields_set:
            values["expires"] = expiry(now, form.duration)
        if "budget_duration" in values:
            values["budget_reset_at"] = expiry(now, values["budget_duration"])
        return values

    async def new(self, actor: Principal, form: GenerateKey) -> Issued[VirtualKey]:
        """A new key and its secret (the caller's choice with ``form.key``, admins only)."""
        now = self._changes.now()
        values = self._values(form, now)
        user_id = form.user_id if form.user_id is not None else (None if actor.is_admin else actor.user_id)
        values["user_id"] = user_id
        org_id = await self._owner_check(actor, user_id, form.team_id)
        if form.organization_id is not None:
            if not actor.is_admin and form.organization_id != org_id:
                raise PermissionDenied("Only admins may set a key's organization.", param="organization_id")
            org_id = form.organization_id
        if form.key is not None and not actor.is_admin:
            raise PermissionDenied("Only admins may choose a key's secret.", param="key")
        await check_budget_id(self._store, form.budget_id)
        secret = form.key or self._secret()
        key = VirtualKey(
            token=hash_key(secret),
            key_name=mask_key(secret),
            organization_id=org_id,
            created_at=now,
            updated_at=now,
            created_by=actor.actor,
            **values,
        )
        found = escalations(actor, _grant(key))
        if found:
            raise _refuse_escalation(found)
        if not await self._store.keys.add(key, self._changes.audit(actor, "key.generate", "key", key.token, None, key)):
            raise BadRequest("That key already exists.", param="key", code="already_exists")
        return Issued(key, secret)

    async def _apply(self, actor: Principal, key: VirtualKey, form: KeyFields) -> VirtualKey:
        now = self._changes.now()
        values = self._values(form, now)
        if "budget_id" in values:
            await check_budget_id(self._store, values["budget_id"])
        if "user_id" in values or "team_id" in values:
            user_id = values.get("user_id", key.user_id)
            team_id = values.get("team_id", key.team_id)
            values["organization_id"] = await self._owner_check(actor, user_id, team_id)
        if (
            values.get("blocked") is False
            and key.blocked
            and not (actor.is_admin or key.team_id in actor.team_admin_of)
        ):
            raise PermissionDenied("Only an admin (or the team's admin) may unblock a key.", param="blocked")
        updated = key.model_copy(update={**values, "updated_at": now})
        found = escalations(actor, _grant(updated), only=[f for f in _GRANTED if f in values])
        if found:
            raise _refuse_escalation(found)
        return updated

    async def update(self, actor: Principal, form: UpdateKey) -> VirtualKey:
        key = await self._managed(actor, form.key)
        updated = await self._apply(actor, key, form)
        await self._replace(actor, "key.update", key, updated)
        return updated

    async def _replace(self, actor: Principal, action: str, before: VirtualKey, after: VirtualKey) -> None:
        audit = self._changes.audit(actor, action, "key", after.token, before, after)
        if not await self._store.keys.replace(after, audit):
            raise NotFound("No such key.", param="key", code="key_not_found")
        await self._changes.forget(f"key:{after.token}")

    async def set_blocked(self, actor: Principal, target: str, blocked: bool) -> VirtualKey:
        key = await self._managed(actor, target)
        form = UpdateKey(key=target, blocked=blocked)
        updated = await self._apply(actor, key, form)
        await self._replace(actor, "key.block" if blocked else "key.unblock", key, updated)
        return updated

    async def regenerate(self, actor: Principal, form: RegenerateKey) -> Issued[VirtualKey]:
        key = await self._managed(actor, form.key)
        if not may_rotate_key(actor, key, self_rotation=self._self_rotation):
            raise PermissionDenied(
                "A key may not rotate its own secret; ask its owner or an admin "
                "(or set general_settings.allow_key_self_rotation).",
                code="self_rotation_not_allowed",
            )
        if form.new_key is not None and not actor.is_admin:
            raise PermissionDenied("Only admins may choose a key's secret.", param="new_key")
        updated = await self._apply(actor, key, form)
        secret = form.new_key or self._secret()
        renewed = updated.model_copy(update={"token": hash_key(secret), "key_name": mask_key(secret)})
        audit = self._changes.audit(actor, "key.regenerate", "key", key.token, key, renewed)
        if not await self._store.keys.rekey(key.token, renewed, audit):
            raise NotFound("No such key.", param="key", code="key_not_found")
        await self._changes.forget(f"key:{key.token}")
        return Issued(renewed, secret)

    async def delete(self, actor: Principal, form: DeleteKeys) -> list[str]:
        targets: list[VirtualKey] = [await self._managed(actor, r) for r in form.keys or ()]
        for alias in form.key_aliases or ():
            page = await self._store.keys.list(KeyFilter(key_alias=alias), 1, 1000)
            found = [k for k in page.items if may_read_key(actor, k)]
            if not found:
                raise NotFound(f"No key with alias {alias!r}.", param="key_aliases", code="key_not_found")
            for key in found:
                if not may_manage_key(actor, key):
                    raise PermissionDenied("You may read this key but not delete it.")
                targets.append(key)
        if not targets:
            raise BadRequest("Name the keys to delete in 'keys' or 'key_aliases'.", param="keys")
        deleted = []
        for key in {k.token: k for k in targets}.values():
            if await self._store.keys.delete(
                key.token, self._changes.audit(actor, "key.delete", "key", key.token, key)
            ):
                deleted.append(key.token)
                await self._changes.forget(f"key:{key.token}")
        return deleted

    async def delete_of_team(self, actor: Principal, team_id: str) -> None:
        """Delete every key of a team (the team is going)."""
        while True:
            page = await self._store.keys.list(KeyFilter(team_id=team_id), 1, 500)
            if not page.items:
                return
            for key in page.items:
                await self._store.keys.delete(
                    key.token, self._changes.audit(actor, "key.delete", "key", key.token, key)
                )
                await self._changes.forget(f"key:{key.token}")
