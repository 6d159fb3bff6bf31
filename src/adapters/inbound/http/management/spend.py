"""``/spend/logs``, ``/global/spend/report`` and ``/audit``."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, Response
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, QueryParameter

from switchboard.adapters.inbound.http.management.answers import GroupedSpend, listed
from switchboard.adapters.inbound.http.management.dependencies import Caller, Page, QueryId, Spend, spend_paging
from switchboard.adapters.inbound.http.management.operations import read
from switchboard.application.governance.forms import time_bound
from switchboard.application.governance.services import Governance
from switchboard.application.governance.spend import SpendService
from switchboard.domain.governance.access import MANAGEMENT_ROUTES, SPEND_ROUTES
from switchboard.domain.governance.filters import AuditFilter, SpendFilter
from switchboard.domain.governance.keys import token_of
from switchboard.domain.governance.records import AuditEntry, SpendRecord
from switchboard.domain.ports.spend import GroupBy

# LiteLLM's group names, and ours.
GroupName = Literal["api_key", "key", "team", "user", "org", "organization", "customer", "end_user", "model", "day"]
_GROUPS: dict[str, GroupBy] = {
    "api_key": "key",
    "key": "key",
    "team": "team",
    "user": "user",
    "org": "org",
    "organization": "org",
    "customer": "end_user",
    "end_user": "end_user",
    "model": "model",
    "day": "day",
}
Day = Annotated[
    str | None, QueryParameter(max_length=64, description="YYYY-MM-DD (an end date includes its day) or ISO-8601")
]


def spend_filter(
    user_id: QueryId = None,
    team_id: QueryId = None,
    organization_id: QueryId = None,
    request_id: QueryId = None,
    model_group: QueryId = None,
    status: Annotated[str | None, QueryParameter(max_length=16, description="success, failure or rejected")] = None,
    api_key: Annotated[str | None, QueryParameter(max_length=256, description="A key's secret or hash.")] = None,
    end_user: QueryId = None,
    customer: Annotated[str | None, QueryParameter(max_length=256, description="`end_user`, LiteLLM's name.")] = None,
    model: Annotated[str | None, QueryParameter(max_length=256, description="`model_group`, LiteLLM's name.")] = None,
    start_date: Day = None,
    end_date: Day = None,
) -> SpendFilter:
    """The spend rows a request asks for, from LiteLLM's query names and ours."""
    return SpendFilter(
        key_hash=token_of(api_key) if api_key else None,
        user_id=user_id or None,
        team_id=team_id or None,
        organization_id=organization_id or None,
        end_user=end_user or customer or None,
        request_id=request_id or None,
        model_group=model or model_group or None,
        status=status or None,
        start=time_bound(start_date, "start_date") if start_date else None,
        end=time_bound(end_date, "end_date", end=True) if end_date else None,
    )


def _spend(governance: NamedDependency[Governance]) -> SpendService:
    return governance.spend


class SpendController(Controller):
    path = "/"
    tags = ["spend"]
    dependencies = {
        "spend": Provide(_spend, sync_to_thread=False),
        "filters": Provide(spend_filter, sync_to_thread=False),
        "paging": spend_paging,
    }

    @read("/spend/logs", access=SPEND_ROUTES, summary="Spend rows, newest first (the caller's own unless admin)")
    async def logs(
        self, spend: Spend, caller: Caller, filters: NamedDependency[SpendFilter], paging: Page
    ) -> Response[list[SpendRecord]]:
        found = await spend.logs(caller, filters, paging.page, paging.size)
        return listed(found, found.items)

    @read(
        "/global/spend/report",
        access=SPEND_ROUTES,
        summary="Spend totals by key, team, user, org, end user, model or day",
    )
    async def report(
        self,
        spend: Spend,
        caller: Caller,
        filters: NamedDependency[SpendFilter],
        group_by: FromQuery[GroupName] = "team",
    ) -> list[GroupedSpend]:
        group = _GROUPS[group_by]
        groups = await spend.report(caller, group, filters)
        return [GroupedSpend(group_by=group, **g.model_dump()) for g in groups]


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]
    dependencies = {"spend": Provide(_spend, sync_to_thread=False)}

    @read(access=MANAGEMENT_ROUTES, summary="The audit log of management changes, newest first")
    async def audit(
        self,
        spend: Spend,
        caller: Caller,
        paging: Page,
        object_type: Annotated[str | None, QueryParameter(max_length=64)] = None,
        object_id: QueryId = None,
        action: Annotated[str | None, QueryParameter(max_length=64)] = None,
        actor: Annotated[str | None, QueryParameter(max_length=256, description="Who made the change.")] = None,
    ) -> Response[list[AuditEntry]]:
        filters = AuditFilter(
            object_type=object_type or None, object_id=object_id or None, action=action or None, actor=actor or None
        )
        found = await spend.audit(caller, filters, paging.page, paging.size)
        return listed(found, found.items)
