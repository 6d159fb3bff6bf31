"""Organizations: groups of teams with their own models, budget and limits. Admins manage
them; members of an organization may read it."""

from __future__ import annotations

from switchboard.application.governance.changes import Changes
from switchboard.application.governance.forms import NewOrg, OrgIds, UpdateOrg, expiry, given
from switchboard.application.governance.store import GovernanceStore
from switchboard.application.governance.validation import check_budget_id
from switchboard.domain.errors import BadRequest, NotFound, PermissionDenied
from switchboard.domain.governance.entities import Organization, Page
from switchboard.domain.ports.invalidation import EVERYTHING
from switchboard.domain.principal import Principal

_FIELDS = (
    "organization_alias",
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


def _admin(actor: Principal) -> None:
    if not actor.is_admin:
        raise PermissionDenied("Only admins may change organizations.")


class OrgService:
    def __init__(self, store: GovernanceStore, changes: Changes) -> None:
        self._store = store
        self._changes = changes

    async def _get(self, actor: Principal, org_id: str) -> Organization:
        org = await self._store.orgs.get(org_id)
        if org is None or not (actor.reads_everything or actor.org_id == org_id):
            raise NotFound(f"No organization {org_id!r}.", param="organization_id", code="organization_not_found")
        return org

    async def new(self, actor: Principal, form: NewOrg) -> Organization:
        _admin(actor)
        await check_budget_id(self._store, form.budget_id)
        now = self._changes.now()
        org = Organization(
            organization_id=form.organization_id or self._changes.new_id("org-"),
            budget_reset_at=expiry(now, form.budget_duration),
            created_at=now,
            updated_at=now,
            created_by=actor.actor,
            **{k: v for k, v in given(form, *_FIELDS).items() if v is not None},
        )
        audit = self._changes.audit(actor, "organization.new", "organization", org.organization_id, None, org)
        if not await self._store.orgs.add(org, audit):
            raise BadRequest(
                f"Organization {org.organization_id!r} exists.",
                param="organization_id",
                code="already_exists",
            )
        return org

    async def update(self, actor: Principal, form: UpdateOrg) -> Organization:
        _admin(actor)
        org = await self._get(actor, form.organization_id)
        values = given(form, *_FIELDS)
        if "budget_id" in values:
            await check_budget_id(self._store, values["budget_id"])
        if "models" in values and values["models"] is None:
            values["models"] = []
        now = self._changes.now()
        if "budget_duration" in values:
            values["budget_reset_at"] = expiry(now, values["budget_duration"])
        updated = org.model_copy(update={**values, "updated_at": now})
        audit = self._changes.audit(actor, "organization.update", "organization", org.organization_id, org, updated)
        if not await self._store.orgs.replace(updated, audit):
            raise NotFound(f"No organization {org.organization_id!r}.", param="organization_id")
        await self._changes.forget(EVERYTHING)
        return updated

    async def info(self, actor: Principal, org_id: str | None) -> Organization:
        org_id = org_id or actor.org_id
        if org_id is None:
            raise BadRequest("Name the organization: organization_id.", param="organization_id")
        return await self._get(actor, org_id)

    async def find(self, actor: Principal, page: int, size: int) -> Page[Organization]:
        if not actor.reads_everything:
            orgs = [await self._get(actor, actor.org_id)] if actor.org_id else []
            return Page[Organization](items=orgs, total=len(orgs), page=1, size=max(1, size))
        return await self._store.orgs.list({}, page, size)

    async def delete(self, actor: Principal, form: OrgIds) -> list[str]:
        _admin(actor)
        orgs = [await self._get(actor, org_id) for org_id in form.organization_ids]
        deleted = []
        for org in orgs:
            teams = await self._store.teams.list({"organization_id": org.organization_id}, 1, 1)
            if teams.total:
                raise BadRequest(
                    f"Organization {org.organization_id!r} still has {teams.total} team(s); move or delete them first.",
                    param="organization_ids",
                    code="organization_not_empty",
                )
            audit = self._changes.audit(actor, "organization.delete", "organization", org.organization_id, org)
            if await self._store.orgs.delete(org.organization_id, audit):
                deleted.append(org.organization_id)
        await self._changes.forget(EVERYTHING)
        return deleted
