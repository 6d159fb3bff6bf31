"""The management API (LiteLLM's paths and fields): keys, teams, users, organizations,
budgets, end users, stored models, spend and the audit log. Every route sits behind one guard."""

from __future__ import annotations

from collections.abc import Callable

from litestar import Router

from switchboard.adapters.inbound.http.management import budgets, keys, models, orgs, spend, teams, users
from switchboard.adapters.inbound.http.management.guard import ACCESS, management_guard
from switchboard.adapters.inbound.http.services import HttpServices

HANDLERS = [
    *keys.ROUTES,
    *teams.ROUTES,
    *users.ROUTES,
    *orgs.ROUTES,
    *budgets.ROUTES,
    *models.ROUTES,
    *spend.ROUTES,
]


def management_router(services: Callable[[], HttpServices]) -> Router:
    """Every management route, behind the guard that authenticates and authorises each call."""
    return Router(path="/", route_handlers=HANDLERS, guards=[management_guard(services)])


__all__ = ["ACCESS", "HANDLERS", "management_router"]
