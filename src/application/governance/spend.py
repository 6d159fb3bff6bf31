"""Reading spend: the rows of ``/spend/logs`` and the totals of ``/global/spend/report``.
Admins (and admin viewers) see everything; anyone else sees their own."""

from __future__ import annotations

from datetime import datetime

from switchboard.domain.errors import PermissionDenied
from switchboard.domain.governance.entities import Page
from switchboard.domain.governance.records import AuditEntry, SpendGroup, SpendRecord
from switchboard.domain.ports.audit import AuditLog
from switchboard.domain.ports.spend import GroupBy, SpendLedger
from switchboard.domain.principal import Principal


def _own(actor: Principal, filters: dict[str, str]) -> dict[str, str]:
    if actor.reads_everything:
        return filters
    team = filters.get("team_id")
    if team is not None and team in actor.team_admin_of:
        return filters
    if actor.user_id is not None:
        return {**filters, "user_id": actor.user_id}
    if actor.key_hash:
        return {**filters, "key_hash": actor.key_hash}
    raise PermissionDenied("You may not read spend.")


class SpendService:
    def __init__(self, ledger: SpendLedger, audit: AuditLog) -> None:
        self._ledger = ledger
        self._audit = audit

    async def logs(
        self,
        actor: Principal,
        filters: dict[str, str],
        start: datetime | None,
        end: datetime | None,
        page: int,
        size: int,
    ) -> Page[SpendRecord]:
        return await self._ledger.logs(_own(actor, filters), start, end, page, size)

    async def report(
        self,
        actor: Principal,
        group_by: GroupBy,
        start: datetime | None,
        end: datetime | None,
        filters: dict[str, str],
    ) -> list[SpendGroup]:
        return await self._ledger.report(group_by, start, end, _own(actor, filters))

    async def audit(self, actor: Principal, filters: dict[str, str], page: int, size: int) -> Page[AuditEntry]:
        if not actor.reads_everything:
            raise PermissionDenied("Only admins may read the audit log.")
        return await self._audit.list(filters, page, size)
