"""Organizations: groups of teams with their own models, budget and limits. Admins manage
them; members of an organization may read it."""

from __future__ import annotations

from switchboard.application.governance.changes import Changes
from switchboard.application.governance.forms import NewOrg, OrgFields, OrgIds, UpdateOrg, expiry
from switchboard.application.governance.kinds import Kind, Records, changed, initial
from switchboard.application.governance.store import GovernanceStore
from switchboard.application.governance.validation import check_budget_id
from switchboard.domain.errors import BadRequest, PermissionDenied
from switchboard.domain.governance.entities import Organization, Page
from switchboard.domain.governance.filters import OrgFilter, TeamFilter
from switchboard.domain.ports.invalidation import EVERYTHING
from switchboard.domain.principal import Principal

ORGANIZATION = Kind[Organization](
    "organization", "organization", "organization", "organization_id", lambda o: o.organization_id
)
_FIELDS = tuple(OrgFields.model_fields)


def _admin(actor: Principal) -> None:
    if not actor.is_admin:
        raise PermissionDenied("Only admins may change organizations.")


class OrgService:
    def __init__(self, store: GovernanceStore, changes: Changes) -> None:
        self._store = store
        self._changes = changes
        self._orgs = Records(ORGANIZATION, store.orgs, changes)

    async def _get(self, actor: Principal, org_id: str) -> Organization:
        return await self._orgs.get(org_id, visible=actor.reads_everything or actor.org_id == org_id)

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
            **initial(form, _FIELDS),
        )
        return await self._orgs.add(actor, org)

    async def update(self, actor: Principal, form: UpdateOrg) -> Organization:
        _admin(actor)
        org = await self._get(actor, form.organization_id)
        now = self._changes.now()
        values = changed(form, _FIELDS, now)
        if "budget_id" in values:
            await check_budget_id(self._store, values["budget_id"])
        updated = await self._orgs.replace(actor, "update", org, org.model_copy(update={**values, "updated_at": now}))
        await self._changes.forget(EVERYTHING)
        return updated

    async def info(self, actor: Principal, id: str | None) -> Organization:
        org_id = id or actor.org_id
        if org_id is None:
            raise BadRequest("Name the organization: organization_id.", param="organization_id")
        return await self._get(actor, org_id)

    async def find(self, actor: Principal, filters: OrgFilter, page: int, size: int) -> Page[Organization]:
        if not actor.reads_everything:
            orgs = [await self._get(actor, actor.org_id)] if actor.org_id else []
            return Page[Organization](items=orgs, total=len(orgs), page=1, size=max(1, size))
        return await self._store.orgs.list(filters, page, size)

    async def delete(self, actor: Principal, form: OrgIds) -> list[str]:
        _admin(actor)
        orgs = [await self._get(actor, org_id) for org_id in form.organization_ids]
        deleted = []
        for org in orgs:
            teams = await self._store.teams.list(TeamFilter(organization_id=org.organization_id), 1, 1)
            if teams.total:
                raise BadRequest(
                    f"Organization {org.organization_id!r} still has {teams.total} team(s); move or delete them first.",
                    param="organization_ids",
                    code="organization_not_empty",
                )
            if await self._orgs.remove(actor, org):
                deleted.append(org.organization_id)
        await self._changes.forget(EVERYTHING)
        return deleted
