"""``/spend/logs``, ``/global/spend/report`` and ``/audit``."""

from __future__ import annotations

from typing import cast

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.types import ASGIApp

from switchboard.adapters.inbound.http.management.common import (
    actor,
    dump,
    governance,
    listed,
    paging,
    query,
    reply,
    when,
)
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.domain.errors import BadRequest
from switchboard.domain.governance.access import MANAGEMENT_ROUTES, SPEND_ROUTES
from switchboard.domain.governance.keys import token_of
from switchboard.domain.ports.spend import GroupBy

SPEND = {"access": SPEND_ROUTES}
MANAGE = {"access": MANAGEMENT_ROUTES}

# LiteLLM's group names, and ours.
_GROUPS: dict[str, str] = {
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


def _filters(request: Request) -> dict[str, str]:  # type: ignore[type-arg]
    filters = query(request, "user_id", "team_id", "organization_id", "request_id", "model_group", "status")
    wanted = query(request, "api_key", "end_user", "customer", "model")
    if "api_key" in wanted:
        filters["key_hash"] = token_of(wanted["api_key"])
    if "end_user" in wanted or "customer" in wanted:
        filters["end_user"] = wanted.get("end_user") or wanted["customer"]
    if "model" in wanted:
        filters["model_group"] = wanted["model"]
    return filters


@get("/spend/logs", opt=SPEND, summary="Spend rows, newest first (the caller's own unless admin)")
async def spend_logs(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    page, size = paging(request, default_size=100)
    start, end = when(request, "start_date"), when(request, "end_date", end=True)
    found = await governance(services).spend.logs(actor(request), _filters(request), start, end, page, size)
    return listed(found, [dump(r) for r in found.items])


@get(
    "/global/spend/report",
    opt=SPEND,
    summary="Spend totals grouped by key, team, user, org, end user, model or day",
)
async def spend_report(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    name = str(request.query_params.get("group_by") or "team")
    group = _GROUPS.get(name)
    if group is None:
        raise BadRequest(
            f"Invalid value for 'group_by': {name!r}; use one of " + ", ".join(sorted(_GROUPS)) + ".",
            param="group_by",
        )
    start, end = when(request, "start_date"), when(request, "end_date", end=True)
    groups = await governance(services).spend.report(
        actor(request), cast(GroupBy, group), start, end, _filters(request)
    )
    return reply([{"group_by": group, **g.model_dump()} for g in groups])


@get("/audit", opt=MANAGE, summary="The audit log of management changes, newest first")
async def audit_log(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    page, size = paging(request)
    filters = query(request, "object_type", "object_id", "action", "actor")
    found = await governance(services).spend.audit(actor(request), filters, page, size)
    return listed(found, [dump(e) for e in found.items])


ROUTES = [spend_logs, spend_report, audit_log]
