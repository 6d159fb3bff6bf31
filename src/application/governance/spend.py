"""Reading spend: the rows of ``/spend/logs`` and the totals of ``/global/spend/report``.
Admins (and admin viewers) see everything; anyone else sees their own."""

from __future__ import annotations

from dataclasses import replace

from switchboard.domain.errors import PermissionDenied
from switchboard.domain.governance.entities import Page
from switchboard.domain.governance.filters import AuditFilter, SpendFilter
from switchboard.domain.governance.records import AuditEntry, SpendGroup, SpendRecord
from switchboard.domain.ports.audit import AuditLog
from switchboard.domain.ports.spend import GroupBy, SpendLedger
from switchboard.domain.principal import Principal


def _own(actor: Principal, filters: SpendFilter) -> SpendFilter:
    if actor.reads_everything:
        return filters
    team = filters.team_id
    if team is not None and team in actor.team_admin_of:
        return filters
    if actor.user_id is not None:
        return replace(filters, user_id=actor.user_id)
    if actor.key_hash:
        return replace(filters, key_hash=actor.key_hash)
    raise PermissionDenied("You may not read spend.")


class SpendService:
    def __init__(self, ledger: SpendLedger, audit: AuditLog) -> None:
        self._ledger = ledger
        self._audit = audit

    async def logs(self, actor: Principal, filters: SpendFilter, page: int, size: int) -> Page[SpendRecord]:
        return await self._ledger.logs(_own(actor, filters), page, size)

    async def report(self, actor: Principal, group_by: GroupBy, filters: SpendFilter) -> list[SpendGroup]:
        return await self._ledger.report(group_by, _own(actor, filters))

    async def audit(self, actor: Principal, filters: AuditFilter, page: int, size: int) -> Page[AuditEntry]:
        if not actor.reads_everything:
            raise PermissionDenied("Only admins may read the audit log.")
        return await self._audit.list(filters, page, size)
